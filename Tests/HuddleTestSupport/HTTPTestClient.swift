/// A blocking HTTP/1.1 client for end-to-end tests: one request per
/// connection (`Connection: close`), on 127.0.0.1.
public enum HTTPTestClient {
    /// Sends one request and reads the whole response.
    ///
    /// `Host`, `Connection: close` and (when there is a body, or for
    /// POST/PUT/PATCH) `Content-Length` are added unless `headers` names them.
    /// Throws `TestClientError.timedOut` if the response is not complete
    /// within `timeout` seconds.
    public static func request(port: Int, method: String, path: String, headers: [(String, String)] = [],
                               body: [UInt8] = [], timeout: Double = 10) throws
        -> (status: Int, headers: [(String, String)], body: [UInt8]) {
        let deadline = ContinuousClock.Instant.after(seconds: timeout)
        let socket = try TestSocket.open(port: port)
        defer { socket.disconnect() }
        var defaults = [("Host", "127.0.0.1:\(port)"), ("Connection", "close")]
        if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) {
            defaults.append(("Content-Length", String(body.count)))
        }
        try socket.write(requestHead(method: method, path: path, headers: merged(defaults, with: headers)) + body)
        var reader = HTTPResponseReader(socket: socket, deadline: deadline)
        let (status, responseHeaders) = try reader.readHead()
        let responseBody = try reader.readBody(status: status, headers: responseHeaders, method: method)
        return (status, responseHeaders, responseBody)
    }

    /// `defaults` without the names `overrides` sets, then `overrides`.
    static func merged(_ defaults: [(String, String)], with overrides: [(String, String)]) -> [(String, String)] {
        let overridden = Set(overrides.map { $0.0.lowercased() })
        return defaults.filter { !overridden.contains($0.0.lowercased()) } + overrides
    }

    static func requestHead(method: String, path: String, headers: [(String, String)]) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        return Array(head.utf8)
    }
}
