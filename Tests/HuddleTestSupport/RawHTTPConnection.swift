/// A TCP connection for HTTP bytes written by hand: for clients that send a
/// request slowly, partly, or not at all, and watch what the server does.
public final class RawHTTPConnection {
    private let socket: TestSocket
    /// Response bytes read and not yet returned.
    private var leftover: [UInt8] = []

    public init(port: Int) throws {
        socket = try TestSocket.open(port: port)
    }

    /// Sends `text` as it is (CRLFs included).
    public func send(_ text: String) throws {
        try socket.write(Array(text.utf8))
    }

    /// Whether the connection is still open as far as the server is
    /// concerned: false once a write fails or the end of stream was read.
    public private(set) var serverClosed = false

    /// Sends `text` unless the server closed the connection; returns false then.
    @discardableResult
    public func trySend(_ text: String) -> Bool {
        guard !serverClosed else { return false }
        do { try send(text) } catch { serverClosed = true }
        return !serverClosed
    }

    /// The next response, or nil if none arrives within `timeout` seconds.
    /// Throws `connectionClosed` if the server ends the connection first.
    public func response(timeout: Double) throws -> (status: Int, headers: [(String, String)], body: String)? {
        var reader = HTTPResponseReader(socket: socket, deadline: .after(seconds: timeout), buffered: leftover)
        do {
            let (status, headers) = try reader.readHead()
            let body = try reader.readBody(status: status, headers: headers, method: "GET")
            leftover = reader.buffered
            return (status, headers, String(decoding: body, as: UTF8.self))
        } catch TestClientError.timedOut {
            leftover = reader.buffered
            return nil
        } catch TestClientError.connectionClosed(let what) {
            serverClosed = true
            throw TestClientError.connectionClosed(while: what)
        }
    }

    /// Waits up to `timeout` seconds for the server to end the connection,
    /// discarding what it sends; true if it did.
    public func waitForServerClose(timeout: Double) throws -> Bool {
        let deadline = ContinuousClock.Instant.after(seconds: timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !serverClosed {
            guard let count = try socket.read(into: &buffer, deadline: deadline) else { return false }
            if count == 0 { serverClosed = true }
        }
        return true
    }

    public func close() {
        socket.disconnect()
    }
}
