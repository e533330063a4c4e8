import HuddleJSON
import HuddleTestSupport
import HuddleWebSocket
import Testing

@Suite struct HTTPEndToEndTests {
    let server: ServerProcess

    init() throws { server = try ServerProcess() }

    @Test func healthzReportsCounts() throws {
        let health = try server.get("/healthz")
        #expect(health.status == 200 && health.json?["status"] == "ok" && health.json?["connections"] == 0)
        let member = try server.join("h", user: "u")
        #expect(try server.get("/healthz").json?["workspaces"] == 1)
        _ = member
    }

    @Test func unknownPathIs404AndWrongMethodIs405() throws {
        let missing = try server.get("/nope")
        #expect(missing.status == 404 && missing.json?["error"] == "not_found")
        let wrong = try server.post("/healthz", json: [:])
        #expect(wrong.status == 405 && wrong.json?["error"] == "method_not_allowed")
    }

    @Test func badWorkspaceInApiPathIs400() throws {
        #expect(try server.get("/api/workspaces/_x/presence").json?["error"] == "bad_workspace")
    }

    @Test func clientPageIsServed() throws {
        let page = try HTTPTestClient.request(port: server.port, method: "GET", path: "/")
        #expect(page.status == 200)
        #expect(page.headers.contains { $0.0.lowercased() == "content-type" && $0.1.hasPrefix("text/html") })
        let traversal = try HTTPTestClient.request(port: server.port, method: "GET", path: "/../Package.swift")
        #expect(traversal.status == 404 || traversal.status == 400)
    }

    @Test func metricsAreScrapeable() throws {
        let member = try server.join("m", user: "u")
        try member.send(["type": "ping"])
        _ = try member.waitFor("pong")
        let answer = try HTTPTestClient.request(port: server.port, method: "GET", path: "/metrics")
        let text = String(decoding: answer.body, as: UTF8.self)
        for name in ["huddle_sessions 1", "huddle_workspaces 1", "huddle_sessions_opened_total 1", "huddle_messages_in_total 1",
                     "huddle_messages_out_total{type=\"pong\"} 1", "huddle_messages_out_total{type=\"welcome\"} 1",
                     "huddle_fanout_deliveries_total", "huddle_disconnects_total", "huddle_relays_dropped_total 0",
                     "huddle_rate_limited_total 0", "huddle_storage_errors_total 0", "huddle_durable_write_seconds_bucket{le=\"+Inf\"}",
                     "huddle_event_loop_lag_seconds", "huddle_process_resident_memory_bytes"] {
            #expect(text.contains(name), "missing \(name)")
        }
    }

    @Test func acksErrorsAndDurableEventsAreCountedAsMessagesOut() throws {
        let own = try ServerProcess()
        let member = try own.join("counted", user: "u")
        try member.send(["type": "contacts.create", "id": 1, "data": ["name": "Acme"]])
        _ = try member.waitFor("ack")
        try member.send(["type": "contacts.create", "id": 2, "data": ["name": 42]])
        _ = try member.waitFor("error")
        let answer = try HTTPTestClient.request(port: own.port, method: "GET", path: "/metrics")
        let text = String(decoding: answer.body, as: UTF8.self)
        for line in ["huddle_messages_out_total{type=\"ack\"} 1", "huddle_messages_out_total{type=\"contacts.created\"} 1",
                     "huddle_messages_out_total{type=\"error\"} 1"] {
            #expect(text.contains(line), "missing \(line)")
        }
    }

    @Test func eventsEndpointPagesAndRefusesGoneHistory() throws {
        let member = try server.join("ev", user: "u")
        for i in 0..<3 { try member.send(["type": "contacts.create", "id": .int(i), "data": ["name": .string("C\(i)")]]); _ = try member.waitFor("ack") }
        let page = try server.get("/api/workspaces/ev/events?since=1&limit=1")
        #expect(page.json?["events"]?.arrayValue?.map { $0["seq"] } == [2])
        #expect(page.json?["seq"] == 3)
        let gone = try server.get("/api/workspaces/ev/events?since=99")
        #expect(gone.status == 410 && gone.json?["error"] == "history_gone" && gone.json?["seq"] == 3)
        let malformed = try server.get("/api/workspaces/ev/events?since=-1")
        #expect(malformed.status == 400 && malformed.json?["error"] == "validation_failed")
        let clamped = try server.get("/api/workspaces/ev/events?limit=5000")
        #expect(clamped.status == 200 && clamped.json?["events"]?.arrayValue?.count == 3)
    }
}

@Suite struct ShutdownTests {
    @Test func sigtermClosesSessionsWith1001AndExitsZero() throws {
        let server = try ServerProcess()
        let member = try server.join("bye", user: "u")
        let status = server.stop()
        #expect(try member.client.expectClose() == 1001)
        #expect(status == 0)
    }
}

@Suite struct RateLimitEndToEndTests {
    @Test func requestsBeyondThePendingLimitAreRefusedAndNotWritten() throws {
        let server = try ServerProcess(environment: ["HUDDLE_LIMITS_MAX_PENDING_REQUESTS": "2"])
        let member = try server.join("pending", user: "u")
        // One write, so the server reads every request before any can be answered.
        let requests = (0..<10).flatMap { index in
            FrameEncoder.frame(.text, payload: JSONValue.object([
                "type": "contacts.create", "id": .int(index), "data": ["name": .string("Contact \(index)")],
            ]).encoded(), maskKey: 0x1234_5678)
        }
        try member.client.sendRaw(requests)
        var acked: [Int] = []
        var refused: [Int] = []
        while acked.count + refused.count < 10 {
            let reply = try member.client.receiveJSON()
            guard let id = reply["id"]?.intValue else { continue }
            if reply["type"] == "ack" { acked.append(id) }
            if reply["code"] == "rate_limited" && reply["retry_after_ms"] == 100 { refused.append(id) }
        }
        #expect(acked == [0, 1])
        #expect(refused == Array(2..<10))
        let history = try server.get("/api/workspaces/pending/events?since=0")
        #expect(history.json?["events"]?.arrayValue?.count == 2)
    }

    @Test func overTheBucketIsRateLimitedAndCounted() throws {
        let server = try ServerProcess(environment: ["HUDDLE_LIMITS_BURST": "3", "HUDDLE_LIMITS_MESSAGES_PER_SECOND": "1"])
        let member = try server.join("rl", user: "u")
        for i in 0..<6 { try member.send(["type": "ping", "id": .int(i)]) }
        let refused = try member.waitFor("error")
        #expect(refused["code"] == "rate_limited" && refused["retry_after_ms"]?.intValue != nil)
        #expect(try server.metric("huddle_rate_limited_total") ?? 0 >= 1)
    }
}
