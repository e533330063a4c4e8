import HuddleJSON
import HuddleTestSupport
import Testing

/// PROTOCOL.md §6: acks after commit, broadcasts with attribution and seq,
/// replay, and writes surviving a SIGKILL.
@Suite struct DurableEventsEndToEndTests {
    @Test func writeIsBroadcastBeforeTheSendersAck() throws {
        let server = try ServerProcess()
        let alice = try server.join("crm", user: "alice", name: "Alice")
        let bob = try server.join("crm", user: "bob")
        try alice.send(["type": "contacts.create", "id": "c1", "data": ["name": "Acme Ltd", "email": "info@acme.test"]])
        let event = try alice.waitFor("contacts.created")
        let ack = try alice.client.receiveJSON()
        #expect(ack["type"] == "ack")
        #expect(ack["id"] == "c1" && ack["seq"] == event["seq"] && ack["result"] == event["data"])
        let seen = try bob.waitFor("contacts.created")
        #expect(seen["by"] == ["user": "alice", "name": "Alice", "session": .string(alice.session)])
        #expect(seen["data"]?["contact"]?["name"] == "Acme Ltd")
    }

    @Test func reconnectWithSinceReplaysMissedEventsThenSynced() throws {
        let server = try ServerProcess()
        let writer = try server.join("replay", user: "writer")
        var seqs: [Int] = []
        for i in 0..<5 {
            try writer.send(["type": "contacts.create", "id": .int(i), "data": ["name": .string("Contact \(i)")]])
            seqs.append(try writer.waitFor("ack")["seq"]!.intValue!)
        }
        #expect(seqs == [1, 2, 3, 4, 5])
        let epoch = writer.welcome["epoch"]!.stringValue!
        let reader = try server.join("replay", user: "reader", query: "since=2&epoch=\(epoch)")
        var replayed: [Int] = []
        while true {
            let message = try reader.client.receiveJSON()
            if message["type"] == "synced" {
                #expect(message["seq"] == 5)
                break
            }
            if message["type"] == "contacts.created" { replayed.append(message["seq"]!.intValue!) }
        }
        #expect(replayed == [3, 4, 5])
        try reader.send(["type": "sync", "id": "s", "data": ["since": 0, "epoch": "e_wrong"]])
        let gone = try reader.waitFor("error")
        #expect(gone["code"] == "history_gone" && gone["seq"] == 5 && gone["epoch"]?.stringValue == epoch)
    }

    @Test func acknowledgedWritesSurviveSIGKILL() throws {
        let first = try ServerProcess()
        let writer = try first.join("crash", user: "writer")
        let burst = 50
        for i in 0..<burst {
            try writer.send(["type": "kanban.create", "id": .int(i), "data": ["title": .string("Task \(i)")]])
        }
        var acked: [Int] = []
        while acked.count < burst { acked.append(try writer.waitFor("ack")["seq"]!.intValue!) }
        first.kill()

        let second = try ServerProcess(storage: first.storage)
        let events = try second.get("/api/workspaces/crash/events?since=0&limit=1000")
        let stored = events.json?["events"]?.arrayValue?.compactMap { $0["seq"]?.intValue } ?? []
        #expect(stored == Array(1...burst))
        let next = try second.join("crash", user: "writer")
        #expect(next.welcome["seq"]?.intValue == burst)
        try next.send(["type": "kanban.create", "id": "after", "data": ["title": "After the crash"]])
        #expect(try next.waitFor("ack")["seq"]?.intValue == burst + 1)
        _ = first
    }

    @Test func concurrentMovesOfOneTaskResolveByVersion() throws {
        let server = try ServerProcess()
        let a = try server.join("board", user: "ann")
        let b = try server.join("board", user: "ben")
        try a.send(["type": "kanban.create", "id": "t", "data": ["title": "Contested"]])
        let task = try a.waitFor("ack")["result"]!["task"]!
        let move: (String, String) -> JSONValue = { id, column in
            ["type": "kanban.move", "id": .string(id), "data": ["id": task["id"]!, "column": .string(column), "position": 0, "version": 1]]
        }
        try a.send(move("ma", "Review"))
        try b.send(move("mb", "Done"))
        let answers = [try a.answer(), try b.answer()]
        let conflicts = answers.filter { $0["type"] == "error" }
        #expect(conflicts.count == 1)
        #expect(conflicts.first?["code"] == "conflict")
        #expect(conflicts.first?["current"]?["version"] == 2)
    }

    @Test func httpMessageRunsThePipelineAndBroadcasts() throws {
        let server = try ServerProcess()
        let watcher = try server.join("http", user: "watcher")
        let answer = try server.post("/api/workspaces/http/messages", json: ["type": "notes.add", "id": 3,
                                                                            "data": ["subject": "contact:1", "body": "Called"]])
        #expect(answer.status == 200 && answer.json?["type"] == "ack" && answer.json?["id"] == 3)
        let event = try watcher.waitFor("notes.added")
        #expect(event["by"]?["session"] == .null && event["by"]?["user"] == "api")
        let bad = try server.post("/api/workspaces/http/messages", json: ["type": "notes.add", "data": ["subject": "x"]])
        #expect(bad.status == 400 && bad.json?["code"] == "validation_failed")
        let unknown = try server.post("/api/workspaces/http/messages", json: ["type": "presence.set", "data": [:]])
        #expect(unknown.status == 400 && unknown.json?["code"] == "unknown_type")
    }
}

extension Member {
    /// The next `ack` or `error`, passing over broadcasts.
    func answer() throws -> JSONValue {
        while true {
            let message = try client.receiveJSON()
            if message["type"] == "ack" || message["type"] == "error" { return message }
        }
    }
}
