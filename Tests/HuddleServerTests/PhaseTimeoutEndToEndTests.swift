import HuddleTestSupport
import Testing

/// Issue 12: every phase before the upgrade is bounded. Short limits here;
/// each test waits for the server to act, never for a fixed time.
@Suite struct PhaseTimeoutEndToEndTests {
    let server: ServerProcess

    init() throws {
        server = try ServerProcess(environment: [
            "HUDDLE_SERVER_REQUEST_TIMEOUT_MS": "300",
            "HUDDLE_SERVER_IDLE_TIMEOUT_MS": "300",
        ])
    }

    /// Sends `piece(n)` every 50 ms (each is progress, none finishes the
    /// request) until the server answers or stops reading.
    private func trickle(to client: RawHTTPConnection, _ piece: (Int) -> String) throws
        -> (status: Int, headers: [(String, String)], body: String)? {
        for number in 0..<200 {
            guard client.trySend(piece(number)) else { return nil }
            if let answer = try client.response(timeout: 0.05) { return answer }
        }
        return nil
    }

    @Test func slowHeadGets408AndClose() throws {
        let client = try RawHTTPConnection(port: server.port)
        try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n")
        let answer = try trickle(to: client) { "X-Slow-\($0): 1\r\n" }
        #expect(answer?.status == 408)
        #expect(answer?.body == #"{"error":"request_timeout"}"#)
        #expect(try client.waitForServerClose(timeout: 10))
    }

    @Test func slowBodyGets408AndClose() throws {
        let client = try RawHTTPConnection(port: server.port)
        try client.send("POST /api/workspaces/acme/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"type\":")
        let answer = try trickle(to: client) { _ in " " }
        #expect(answer?.status == 408)
        #expect(try client.waitForServerClose(timeout: 10))
    }

    @Test func idleKeepAliveConnectionIsClosedAfterItsAnswer() throws {
        let client = try RawHTTPConnection(port: server.port)
        try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.response(timeout: 10)?.status == 200)
        #expect(try client.waitForServerClose(timeout: 10))
        #expect(try server.metric("huddle_http_idle_timeouts_total") ?? 0 >= 1)
    }

    @Test func connectionThatSendsNothingIsClosedWithoutAnAnswer() throws {
        let client = try RawHTTPConnection(port: server.port)
        // The stream ends before any response head: reading one reports the close.
        #expect(throws: TestClientError.self) { try client.response(timeout: 10) }
        #expect(client.serverClosed)
    }

    @Test func webSocketSessionOutlivesTheHTTPTimeouts() throws {
        let member = try server.join("timeouts", user: "stays")
        try member.send(["type": "ping", "id": 1])
        _ = try member.waitFor("pong")
        // Past both HTTP limits several times over; the session is bounded by heartbeats only.
        #expect(try member.client.receiveIfAny(timeout: 1.5) == nil)
        try member.send(["type": "ping", "id": 2])
        #expect(try member.waitFor("pong")["id"] == 2)
    }
}
