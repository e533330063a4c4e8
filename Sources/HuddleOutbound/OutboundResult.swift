/// How an ``OutboundRequest`` ended.
public enum OutboundResult: Sendable {
    /// The server answered, with any status: 5xx is an answer too, and the
    /// caller decides what it means.
    case response(status: Int, body: [UInt8])
    /// No answer came.
    case failed(OutboundFailure)
}

/// Why an ``OutboundRequest`` got no answer.
public struct OutboundFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The request's `timeoutMs` passed.
        case timedOut
        /// The host could not be resolved or refused the connection.
        case unreachable
        /// The exchange broke off (a reset, a malformed answer, …).
        case transfer
        /// The client was closed before the request finished.
        case closed
    }

    public let reason: Reason
    /// libcurl's words for it, for logs.
    public let message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { message }
}
