import HuddleJSON
import HuddleTestSupport
import Testing

/// PROTOCOL.md §8: only a backlog the kernel refused makes a session slow.
@Suite struct SlowConsumerEndToEndTests {
    static let smallSendBuffer = ["HUDDLE_LIMITS_MAX_SEND_BUFFER_BYTES": "4096"]
    static let noteBody = JSONValue.string(String(repeating: "x", count: 8000))

    @Test func burstToAReaderThatKeepsUpIsNotASlowConsumer() throws {
        let server = try ServerProcess(environment: Self.smallSendBuffer)
        let member = try server.join("burst", user: "quick")
        // Ten 8 KB writes in a row commit as one batch: far more than 4 × 4 KiB leaves in one loop turn.
        for i in 0..<10 {
            try member.send(["type": "notes.add", "id": .int(i), "data": ["subject": "contact:1", "body": Self.noteBody]])
        }
        var acks = 0
        while acks < 10 {
            let message = try member.client.receiveJSON()
            #expect(message["type"] != "error")
            if message["type"] == "ack" { acks += 1 }
        }
        #expect(server.openSessions == 1)
    }

    @Test func sessionThatStopsReadingIsKickedAtOnce() throws {
        let server = try ServerProcess(environment: Self.smallSendBuffer)
        let sloth = try server.join("slow", user: "sloth")
        var kicked = false
        for i in 0..<4000 where !kicked {
            let answer = try server.post("/api/workspaces/slow/messages",
                                         json: ["type": "notes.add", "data": ["subject": "contact:1", "body": Self.noteBody]])
            #expect(answer.status == 200)
            if i % 50 == 49 { kicked = server.openSessions == 0 }
        }
        #expect(kicked)
        // Kicked sessions leave at once, with no grace period.
        #expect(try server.get("/api/workspaces/slow/presence").json?["count"] == 0)
        _ = sloth
    }
}
