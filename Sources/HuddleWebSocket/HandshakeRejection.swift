/// A refused upgrade: answer `status` with `headers` and the JSON body
/// `{"error":"<code>"}` (see `jsonBody`), then keep or close the connection as
/// the HTTP layer does for any error.
public struct HandshakeRejection: Error, Equatable, Sendable {
    public let status: Int
    /// The PROTOCOL.md error code, e.g. `upgrade_required`.
    public let code: String
    /// Headers the response must carry (e.g. `Sec-WebSocket-Version: 13`).
    public let headers: [(String, String)]

    public init(status: Int, code: String, headers: [(String, String)]) {
        self.status = status
        self.code = code
        self.headers = headers
    }

    /// `{"error":"<code>"}`; the codes are plain identifiers, so no escaping is needed.
    public var jsonBody: [UInt8] { Array(#"{"error":"\#(code)"}"#.utf8) }

    public static func == (lhs: HandshakeRejection, rhs: HandshakeRejection) -> Bool {
        lhs.status == rhs.status && lhs.code == rhs.code
            && lhs.headers.map(\.0) == rhs.headers.map(\.0) && lhs.headers.map(\.1) == rhs.headers.map(\.1)
    }
}
