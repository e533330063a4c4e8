/// A violation of RFC 6455 (or of a limit) by the peer: the connection must be
/// closed with `closeCode`. `reason` says which rule was broken; it is short
/// enough to travel in the close frame.
public struct WebSocketProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    public let closeCode: CloseCode
    public let reason: String

    public init(_ closeCode: CloseCode, _ reason: String) {
        self.closeCode = closeCode
        self.reason = reason
    }

    public var description: String { "WebSocket close \(closeCode.rawValue): \(reason)" }

    static let invalidUTF8 = WebSocketProtocolError(.invalidPayload, "text message is not valid UTF-8")
    static let truncatedUTF8 = WebSocketProtocolError(.invalidPayload, "text message ends inside a UTF-8 sequence")
}
