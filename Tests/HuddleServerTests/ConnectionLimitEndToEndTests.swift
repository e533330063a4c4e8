import Foundation
import HuddleJSON
import HuddleTestSupport
import Testing

/// Issue 12: connections that never finish a request cannot lock anyone out,
/// neither past `limits.max_http_connections` nor past the process's
/// descriptor limit.
@Suite struct ConnectionLimitEndToEndTests {
    static let httpLimit = 20

    /// Opens `count` connections that each send half a request head and stop.
    private func stalledClients(_ count: Int, port: Int) throws -> [RawHTTPConnection] {
        try (0..<count).map { _ in
            let client = try RawHTTPConnection(port: port)
            client.trySend("GET /healthz HTTP/1.1\r\nHost: x\r\n")
            return client
        }
    }

    @Test func pastTheHTTPLimitOldestStalledConnectionsMakeRoom() throws {
        let server = try ServerProcess(environment: ["HUDDLE_LIMITS_MAX_HTTP_CONNECTIONS": "\(Self.httpLimit)"])
        let member = try server.join("limits", user: "early")
        let stalled = try stalledClients(Self.httpLimit * 3, port: server.port)
        // Let in over the limit while young (a burst), they become stalled
        // once they have waited a second without finishing a request.
        Thread.sleep(forTimeInterval: 1.2)

        // Every newcomer still gets in: the health probe, a new session, the old session's messages.
        #expect(try server.get("/healthz").status == 200)
        let late = try server.join("limits", user: "late")
        _ = try member.waitFor("presence.join") { $0["user"] == "late" }
        try member.send(["type": "ping", "id": 1])
        #expect(try member.waitFor("pong")["id"] == 1)

        // The oldest stalled ones were closed to make room; the newest are still waiting for their head.
        #expect(try stalled[0].waitForServerClose(timeout: 10))
        #expect(try stalled.last!.waitForServerClose(timeout: 0.2) == false)
        #expect(try server.metric("huddle_http_connections_evicted_total") ?? 0 >= 2)
        try late.client.close()
    }

    /// A reconnect storm: more handshakes than the limit arrive at once, their
    /// requests right behind the connect. None is closed to make room (none
    /// is stalled): the ones past the limit are let in and every one is upgraded.
    @Test func aBurstOfHandshakesPastTheHTTPLimitIsQueuedNotEvicted() throws {
        let server = try ServerProcess(environment: ["HUDDLE_LIMITS_MAX_HTTP_CONNECTIONS": "\(Self.httpLimit)"])
        let burst = try (0..<Self.httpLimit * 5).map { _ in try RawHTTPConnection(port: server.port) }
        for (index, client) in burst.enumerated() {
            try client.send("GET /ws/storm?user=u\(index) HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        }
        for client in burst { #expect(try client.response(timeout: 10)?.status == 101) }
        #expect(try server.metric("huddle_http_connections_evicted_total") == 0)
        #expect(try server.metric("huddle_http_connections_over_limit_total") ?? 0 >= 1)
        #expect(try server.get("/api/workspaces/storm/presence").json?["count"] == .int(Self.httpLimit * 5))
        for client in burst { client.close() }
    }

    /// The shell starts the server with 64 descriptors: a few dozen clients
    /// exhaust them. The open session keeps working, the flood is refused,
    /// and the server accepts again once the flood lets go.
    @Test func floodPastTheFileLimitIsShedAndTheServerRecovers() throws {
        let server = try ServerProcess(environment: ["HUDDLE_LIMITS_MAX_HTTP_CONNECTIONS": "10000"], fileLimit: 64)
        let member = try server.join("flood", user: "steady")
        let flood = try stalledClients(200, port: server.port)

        try member.send(["type": "ping", "id": 1])
        #expect(try member.waitFor("pong")["id"] == 1)
        let shed = try flood.filter { try $0.waitForServerClose(timeout: 0.05) }
        #expect(!shed.isEmpty)

        for client in flood { client.close() }
        try waitUntil("the server accepts again") { (try? server.get("/healthz").status) == 200 }
        #expect(try server.metric("huddle_accept_failures_total") ?? 0 >= 1)
        #expect(try server.metric("huddle_connections_shed_total") ?? 0 >= 1)
        let again = try server.join("flood", user: "after")
        try again.send(["type": "ping", "id": 2])
        #expect(try again.waitFor("pong")["id"] == 2)
        #expect(server.standardError().contains("out of file descriptors"))
    }
}
