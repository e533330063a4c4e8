/// A response to serialize onto a connection.
public struct HTTPResponse: Equatable, Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response with `Content-Type: application/json` (replacing any given one).
    public static func json(_ status: Int, _ body: [UInt8], headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        headers.replace("Content-Type", "application/json")
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    /// 1xx, 204 and 304 responses never carry a body or a Content-Length of one.
    public var statusAllowsBody: Bool {
        !(100..<200).contains(status) && status != 204 && status != 304
    }

    /// The status line, the headers, a `Content-Length` of the body (unless
    /// the status allows no body or one is already set), `Connection: close`
    /// when `keepAlive` is false, and the body unless `includeBody` is false
    /// (HEAD) or the status allows none. CR, LF and NUL in header names or
    /// values are written as spaces, so a value taken from a request can
    /// never split the response.
    public func serialized(includeBody: Bool = true, keepAlive: Bool = true) -> [UInt8] {
        var headers = headers
        if statusAllowsBody && !headers.contains("Content-Length") {
            headers.add("Content-Length", String(body.count))
        }
        if !keepAlive { headers.replace("Connection", "close") }
        let sendsBody = includeBody && statusAllowsBody

        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.estimatedHeadBytes + (sendsBody ? body.count : 0))
        bytes.append(contentsOf: "HTTP/1.1 \(status) \(Self.reasonPhrase(status))".utf8)
        bytes.append(contentsOf: HTTPSyntax.crlf)
        for (name, value) in headers {
            Self.appendNeutralized(name, to: &bytes)
            bytes.append(contentsOf: ": ".utf8)
            Self.appendNeutralized(value, to: &bytes)
            bytes.append(contentsOf: HTTPSyntax.crlf)
        }
        bytes.append(contentsOf: HTTPSyntax.crlf)
        if sendsBody { bytes.append(contentsOf: body) }
        return bytes
    }

    /// Serialized as the answer to `request`: no body for HEAD, the
    /// request's keep-alive decision, and `Connection: keep-alive` for an
    /// HTTP/1.0 client that asked for it (1.0 closes by default).
    public func serialized(for request: HTTPRequest) -> [UInt8] {
        var response = self
        if request.keepAlive && request.versionMinor == 0 {
            response.headers.replace("Connection", "keep-alive")
        }
        return response.serialized(includeBody: request.method != "HEAD", keepAlive: request.keepAlive)
    }

    private static let estimatedHeadBytes = 256

    private static func appendNeutralized(_ text: String, to bytes: inout [UInt8]) {
        for byte in text.utf8 {
            bytes.append(byte == HTTPSyntax.cr || byte == HTTPSyntax.lf || byte == 0 ? HTTPSyntax.space : byte)
        }
    }

    /// The standard reason phrase of `status`, or "" (allowed by RFC 9112 §4) for others.
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 101: return "Switching Protocols"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 206: return "Partial Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 304: return "Not Modified"
        case 307: return "Temporary Redirect"
        case 308: return "Permanent Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 406: return "Not Acceptable"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 411: return "Length Required"
        case 412: return "Precondition Failed"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 415: return "Unsupported Media Type"
        case 422: return "Unprocessable Content"
        case 426: return "Upgrade Required"
        case 428: return "Precondition Required"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        case 505: return "HTTP Version Not Supported"
        default: return ""
        }
    }
}
