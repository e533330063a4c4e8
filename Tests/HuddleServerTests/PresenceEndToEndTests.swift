import HuddleJSON
import HuddleTestSupport
import Testing

/// Presence, typing and cursors between real clients on loopback (PROTOCOL.md §3–5).
@Suite struct PresenceEndToEndTests {
    let server: ServerProcess

    init() throws { server = try ServerProcess(environment: fastPresence) }

    @Test func threeUsersFiveSessionsSeeEachOther() throws {
        let alice1 = try server.join("team", user: "alice", name: "Alice")
        let bob = try server.join("team", user: "bob", name: "Bob")
        let joinSeenByAlice = try alice1.waitFor("presence.join") { $0["user"] == "bob" }
        #expect(joinSeenByAlice["sessions"] == 1)
        #expect(joinSeenByAlice["name"] == "Bob")

        let alice2 = try server.join("team", user: "alice", name: "Alice")
        #expect(try bob.waitFor("presence.join") { $0["user"] == "alice" }["sessions"] == 2)
        let carol = try server.join("team", user: "carol")
        let bob2 = try server.join("team", user: "bob", name: "Bob")
        let users = bob2.welcome["presence"]?.arrayValue?.compactMap { $0["user"]?.stringValue }.sorted()
        #expect(users == ["alice", "bob", "carol"])

        try alice2.send(["type": "typing", "data": ["target": "contact:42/notes", "active": true]])
        let typing = try carol.waitFor("typing")
        #expect(typing["user"] == "alice" && typing["session"]?.stringValue == alice2.session && typing["active"] == true)

        try carol.send(["type": "cursor", "data": ["x": 0.5, "y": 0.25]])
        let cursor = try bob.waitFor("cursor")
        #expect(cursor["user"] == "carol" && cursor["data"] == ["x": 0.5, "y": 0.25])

        try alice1.send(["type": "presence.set", "data": ["status": "away", "focus": "contact:42"]])
        let update = try alice1.waitFor("presence.update")
        #expect(update["status"] == "away" && update["focus"] == "contact:42")
        _ = try bob2.waitFor("presence.update")

        try carol.send(["type": "leave"])
        #expect(try carol.client.expectClose() == 1000)
        let leave = try bob.waitFor("presence.leave") { $0["user"] == "carol" }
        #expect(leave["reason"] == "left" && leave["sessions"] == 0)
    }

    @Test func userWithFourTabsClosingThreeStaysOnline() throws {
        let watcher = try server.join("tabs", user: "watcher")
        let tabs = try (0..<4).map { _ in try server.join("tabs", user: "dana") }
        for tab in tabs.prefix(3) { try tab.client.close() }
        var last: JSONValue = nil
        for _ in 0..<3 { last = try watcher.waitFor("presence.leave") { $0["user"] == "dana" } }
        #expect(last["sessions"] == 1)
        let presence = try server.get("/api/workspaces/tabs/presence")
        let dana = presence.json?["users"]?.arrayValue?.first { $0["user"] == "dana" }
        #expect(dana?["sessions"]?.arrayValue?.count == 1)
    }

    @Test func reloadWithSessionResumesWithoutLeaveOrJoin() throws {
        let watcher = try server.join("reload", user: "watcher")
        let first = try server.join("reload", user: "erin")
        _ = try watcher.waitFor("presence.join")
        try first.send(["type": "presence.set", "data": ["status": "busy"]])
        _ = try watcher.waitFor("presence.update")
        let before = server.openSessions
        first.client.abort()
        try waitUntil("the server saw the dropped connection") { server.openSessions == before - 1 }
        let again = try server.join("reload", user: "erin", query: "session=\(first.session)")
        #expect(again.welcome["resumed"] == true)
        #expect(again.session == first.session)
        let me = again.welcome["presence"]?.arrayValue?.first { $0["user"] == "erin" }
        #expect(me?["sessions"]?[0]?["status"] == "busy")
        // A marker message proves nothing else arrived in between.
        try again.send(["type": "presence.set", "data": ["status": "online"]])
        let next = try watcher.client.receiveJSON()
        #expect(next["type"] == "presence.update")
    }

    @Test func killedClientLeavesAfterGraceWithReasonClosed() throws {
        let watcher = try server.join("crash", user: "watcher")
        let victim = try server.join("crash", user: "frank")
        _ = try watcher.waitFor("presence.join")
        try victim.send(["type": "typing", "data": ["target": "task:1/description", "active": true]])
        _ = try watcher.waitFor("typing")
        victim.client.abort()
        let stop = try watcher.waitFor("typing")
        #expect(stop["active"] == false && stop["reason"] == "left")
        let leave = try watcher.waitFor("presence.leave")
        #expect(leave["reason"] == "closed" && leave["user"] == "frank" && leave["sessions"] == 0)
    }

    @Test func typingExpiresWithoutRefresh() throws {
        let a = try server.join("typing", user: "gina")
        let b = try server.join("typing", user: "hank")
        try a.send(["type": "typing", "data": ["target": "contact:1/notes", "active": true]])
        #expect(try b.waitFor("typing")["active"] == true)
        let expired = try b.waitFor("typing")
        #expect(expired["active"] == false && expired["reason"] == "expired")
    }

    @Test func invalidJSONGetsAnErrorAndTheSessionStays() throws {
        let a = try server.join("errors", user: "ivan")
        try a.client.send(text: "{not json")
        #expect(try a.waitFor("error")["code"] == "bad_json")
        try a.send(["type": "nope.nothing", "id": 17])
        let unknown = try a.waitFor("error")
        #expect(unknown["code"] == "unknown_type" && unknown["id"] == 17)
        try a.send(["type": "ping", "id": "p1"])
        #expect(try a.waitFor("pong")["id"] == "p1")
    }

    /// Found by scripts/fuzz envelope: an id past Double's range passed the
    /// envelope scan and then failed to decode, which stopped the server.
    @Test func fuzzIdPastDoubleRangeIsBadJSONNotACrash() throws {
        let a = try server.join("errors", user: "fuzz")
        try a.client.send(text: #"{"type":"ping","id":1e999}"#)
        #expect(try a.waitFor("error")["code"] == "bad_json")
        try a.send(["type": "ping", "id": "still-here"])
        #expect(try a.waitFor("pong")["id"] == "still-here")
    }

    /// Found by scripts/fuzz envelope: a lone surrogate escape inside `data`
    /// passed the envelope scan and then failed to decode.
    @Test func fuzzLoneSurrogateInDataIsBadJSONNotACrash() throws {
        let a = try server.join("errors", user: "fuzz2")
        try a.client.send(text: #"{"type":"presence.set","data":{"focus":"\ud8a8"}}"#)
        #expect(try a.waitFor("error")["code"] == "bad_json")
        try a.send(["type": "ping", "id": "still-here"])
        #expect(try a.waitFor("pong")["id"] == "still-here")
    }
}

@Suite struct HeartbeatTests {
    @Test func clientThatNeverAnswersPingsTimesOut() throws {
        let server = try ServerProcess(environment: ["HUDDLE_PRESENCE_HEARTBEAT_MS": "1000", "HUDDLE_PRESENCE_GRACE_MS": "0"])
        let watcher = try server.join("hb", user: "watcher")
        let silent = try server.join("hb", user: "mute")
        silent.client.autoPong = false
        _ = try watcher.waitFor("presence.join")
        // The watcher answers pings; the silent one does not.
        let leave = try watcher.client.waitFor(type: "presence.leave", timeout: 15) { $0["user"] == "mute" }
        #expect(leave["reason"] == "timeout")
    }
}
