import Foundation
import HuddleJSON
import HuddleTestSupport
import Testing
@testable import HuddleServer

/// Presence webhooks (docs/protocol.md §13) against a receiver written in
/// Python, as a CRM's backend would run one.
@Suite struct WebhookEndToEndTests {
    static let secret = "webhook-secret-0123456789"

    /// What a receiver logged: each accepted batch's events, and whether its signature held.
    private struct Received {
        let log: String

        func batches() -> [(signed: Bool, events: [JSONValue])] {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { line in
                guard let entry = try? JSONParser.parse(String(line)), let body = entry["body"]?.stringValue,
                      let events = (try? JSONParser.parse(body))?["events"]?.arrayValue else { return nil }
                let (_, expected) = HMACSHA256.signatureHeader(key: Array(WebhookEndToEndTests.secret.utf8), body: Array(body.utf8))
                return (entry["signature"]?.stringValue == expected, events)
            }
        }

        func events() -> [String] {
            batches().flatMap(\.events).map { "\($0["type"]?.stringValue ?? "?") \($0["workspace"]?.stringValue ?? "?") \($0["user"]?.stringValue ?? "-")" }
        }
    }

    private func metrics(of server: ServerProcess) throws -> String {
        String(decoding: try HTTPTestClient.request(port: server.port, method: "GET", path: "/metrics").body, as: UTF8.self)
    }

    private func server(webhookPort: Int, extra: [String: String] = [:]) throws -> ServerProcess {
        try ServerProcess(environment: fastPresence.merging([
            "HUDDLE_WEBHOOKS_URL": "http://127.0.0.1:\(webhookPort)/hook", "HUDDLE_WEBHOOKS_SECRET": Self.secret,
        ].merging(extra) { $1 }) { $1 })
    }

    @Test func presenceChangesArriveSignedInOrderAndAReloadSendsNothing() throws {
        let directory = try TemporaryDirectory(prefix: "huddle-webhooks")
        let received = Received(log: directory.file("received.jsonl"))
        let receiver = try PythonTestServer(script: "webhook-receiver/receiver.py", arguments: [received.log])
        let server = try server(webhookPort: receiver.port)
        let alice = try server.join("crm", user: "alice")
        let bob = try server.join("crm", user: "bob")
        // A reload inside grace: no offline, no online.
        alice.client.abort()
        _ = try server.join("crm", user: "alice", query: "session=\(alice.session)")
        try bob.send(["type": "leave"])
        try waitUntil("bob's offline has arrived") { received.events().contains("user.offline crm bob") }
        #expect(received.events() == ["workspace.occupied crm -", "user.online crm alice", "user.online crm bob",
                                      "user.offline crm bob"])
        #expect(received.batches().allSatisfy { $0.signed })
        #expect(received.batches().flatMap(\.events).allSatisfy { $0["at"]?.stringValue?.hasSuffix("Z") == true })
    }

    @Test func aReceiverThatFailsAndOneThatIsDownGetEverythingAfterwardsInOrder() throws {
        let directory = try TemporaryDirectory(prefix: "huddle-webhooks")
        let received = Received(log: directory.file("received.jsonl"))
        let port = try ProxyBackendProcess.closedPort()
        let server = try server(webhookPort: port, extra: ["HUDDLE_WEBHOOKS_EVENTS": #"["user.online", "user.offline"]"#])
        var members: [Member] = []
        for user in ["u1", "u2", "u3"] { members.append(try server.join("sales", user: user)) }
        try members[0].send(["type": "leave"])
        // Down for a while (the sender retries with backoff), then up but failing twice.
        try waitUntil("a delivery has failed") { try !metrics(of: server).contains("huddle_webhook_failures_total 0") }
        let receiver = try PythonTestServer(script: "webhook-receiver/receiver.py",
                                            arguments: [received.log, "--port", String(port), "--fail", "2"])
        try waitUntil("everything has arrived", timeout: 30) { received.events().count == 4 }
        #expect(received.events() == ["user.online sales u1", "user.online sales u2", "user.online sales u3",
                                      "user.offline sales u1"])
        _ = receiver
    }

    @Test func aFullQueueDropsNewEventsAndCountsThem() throws {
        let port = try ProxyBackendProcess.closedPort()
        let server = try server(webhookPort: port, extra: ["HUDDLE_WEBHOOKS_MAX_QUEUE": "2"])
        var members: [Member] = []
        for user in ["u1", "u2", "u3", "u4"] { members.append(try server.join("busy", user: user)) }
        #expect(try metrics(of: server).contains("huddle_webhook_events_dropped_total 3"), "occupied + 4 onlines, 2 kept")
        #expect(server.standardError().contains("the queue is full"))
    }

    @Test func webhooksNeedTheirSecret() throws {
        #expect(throws: (any Error).self) { try ServerProcess(environment: ["HUDDLE_WEBHOOKS_URL": "http://127.0.0.1:9/hook"]) }
    }
}
