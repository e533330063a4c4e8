/// Why a blocking test client gave up. Each case says what it was doing, so a
/// failing end-to-end test reads as a sentence.
public enum TestClientError: Error, CustomStringConvertible {
    /// Nothing arrived in time; `waitingFor` says what was expected.
    case timedOut(waitingFor: String)
    /// The server closed the TCP connection while the client expected more.
    case connectionClosed(while: String)
    /// A system call failed.
    case socket(call: String, errno: Int32)
    /// The server answered something the client cannot accept.
    case unexpected(String)

    public var description: String {
        switch self {
        case .timedOut(let what): return "timed out waiting for \(what)"
        case .connectionClosed(let what): return "connection closed by the server while \(what)"
        case .socket(let call, let errno): return "\(call) failed with errno \(errno)"
        case .unexpected(let what): return "unexpected: \(what)"
        }
    }
}

/// A non-101 answer to a WebSocket upgrade.
public struct HTTPRejected: Error, CustomStringConvertible {
    public let status: Int
    public let headers: [(String, String)]
    public let body: [UInt8]

    /// The body as text, e.g. `{"error":"bad_workspace"}`.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The first value of header `name`, matched case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    public var description: String { "upgrade rejected with HTTP \(status): \(bodyText)" }
}
