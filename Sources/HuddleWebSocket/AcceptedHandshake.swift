/// A handshake the server accepts: answer 101 with `responseHeaders`.
public struct AcceptedHandshake: Equatable, Sendable {
    /// The `Sec-WebSocket-Accept` value.
    public let acceptValue: String
    /// `huddle.v1` if the client offered it; nil if it offered no subprotocol.
    public let subprotocol: String?

    public init(acceptValue: String, subprotocol: String?) {
        self.acceptValue = acceptValue
        self.subprotocol = subprotocol
    }

    /// The headers of the 101 Switching Protocols response.
    public var responseHeaders: [(String, String)] {
        var headers = [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", acceptValue)]
        if let subprotocol { headers.append(("Sec-WebSocket-Protocol", subprotocol)) }
        return headers
    }
}
