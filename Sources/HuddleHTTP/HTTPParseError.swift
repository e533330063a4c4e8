/// Why a request was refused: the status to answer with (after which the
/// connection closes) and a sentence saying what was wrong.
public struct HTTPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 400 malformed, 413 body too large, 414 request line too long,
    /// 431 header section too large or too many fields, 501 unsupported
    /// transfer coding, 505 HTTP major version other than 1.
    public let status: Int
    public let reason: String

    public init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "HTTP \(status): \(reason)" }

    static func badRequest(_ reason: String) -> HTTPParseError { HTTPParseError(status: 400, reason: reason) }
    static func contentTooLarge(_ reason: String) -> HTTPParseError { HTTPParseError(status: 413, reason: reason) }
    static let requestLineTooLong = HTTPParseError(status: 414, reason: "request line too long")
    static func headersTooLarge(_ reason: String) -> HTTPParseError { HTTPParseError(status: 431, reason: reason) }
    static func notImplemented(_ reason: String) -> HTTPParseError { HTTPParseError(status: 501, reason: reason) }
    static let versionNotSupported = HTTPParseError(status: 505, reason: "only HTTP/1.x is supported")
}
