/// One HTTP request for ``OutboundClient``: what to send and how long the
/// whole exchange (connect, send, answer) may take.
public struct OutboundRequest: Sendable {
    /// `POST`, `GET`, `PUT`, … as sent.
    public var method: String
    /// An absolute `http://` or `https://` URL.
    public var url: String
    /// Header lines in order, e.g. `("Content-Type", "application/json")`.
    public var headers: [(name: String, value: String)]
    /// The request body; empty for none.
    public var body: [UInt8]
    /// The bound on the whole exchange; past it the request fails `timedOut`.
    public var timeoutMs: Int
    /// A PEM CA bundle that `https://` servers are checked against instead
    /// of the system's (a private CA); `nil` for the system's.
    public var caFile: String?

    public init(method: String = "POST", url: String, headers: [(name: String, value: String)] = [],
                body: [UInt8] = [], timeoutMs: Int, caFile: String? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutMs = timeoutMs
        self.caFile = caFile
    }
}
