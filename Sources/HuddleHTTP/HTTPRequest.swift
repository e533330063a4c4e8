/// One parsed request.
public struct HTTPRequest: Equatable, Sendable {
    public var method: String
    /// The request-target exactly as received.
    public var target: String
    /// The path part of the target, before `?`, not decoded. For an
    /// absolute-form target (`http://host/p?q`) it is `/p`; for `OPTIONS *` it is `*`.
    public var path: String
    /// The query, after `?`, not decoded; nil when the target has no `?`.
    public var query: String?
    /// The `x` of `HTTP/1.x`.
    public var versionMinor: Int
    public var headers: HTTPHeaders
    /// The body, de-chunked; empty when the request has none.
    public var body: [UInt8]
    /// Whether the connection stays open after the response: HTTP/1.1 unless
    /// `Connection: close`; HTTP/1.0 only with `Connection: keep-alive` (and no `close`).
    public var keepAlive: Bool

    /// Builds a request as the parser would, deriving `path`, `query` and
    /// `keepAlive`. A target that is not origin-, absolute- or asterisk-form
    /// becomes the path as a whole.
    public init(method: String, target: String, versionMinor: Int = 1, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.method = method
        self.target = target
        let parts = RequestTarget.split(target, method: method)
        path = parts.map { String($0.path) } ?? target
        query = parts?.query.map(String.init)
        self.versionMinor = versionMinor
        self.headers = headers
        self.body = body
        keepAlive = HTTPRequest.wantsKeepAlive(versionMinor: versionMinor, headers: headers)
    }

    static func wantsKeepAlive(versionMinor: Int, headers: HTTPHeaders) -> Bool {
        if headers.hasToken("Connection", "close") { return false }
        return versionMinor >= 1 || headers.hasToken("Connection", "keep-alive")
    }

    /// The query's `name=value` items in order, percent-decoded with `+` as a
    /// space. An item without `=` has the value "". Empty items (`a=1&&b=2`)
    /// are skipped. A name or value that does not decode (bad `%XX`, invalid
    /// UTF-8) is kept as its raw text, so a validator downstream rejects it
    /// instead of the parameter silently vanishing.
    public func queryItems() -> [(name: String, value: String)] {
        guard let query else { return [] }
        return query.split(separator: "&").map { item in
            let equals = item.firstIndex(of: "=")
            let rawName = item[..<(equals ?? item.endIndex)]
            let rawValue = equals.map { item[item.index(after: $0)...] } ?? ""
            return (
                name: PercentDecoding.decode(rawName, plusAsSpace: true) ?? String(rawName),
                value: PercentDecoding.decode(rawValue, plusAsSpace: true) ?? String(rawValue)
            )
        }
    }

    /// The value of the first query item named `name`, or nil.
    public func queryValue(_ name: String) -> String? {
        queryItems().first { $0.name == name }?.value
    }
}
