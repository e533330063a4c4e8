import HuddleCore
import HuddleJSON
import Testing

@Test func joinIsAnnouncedToEveryOtherSessionButNotTheJoiner() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice", name: "Alice")

    #expect(harness.types(of: alice).isEmpty)
    let join = harness.last(of: bob)
    #expect(join == [
        "type": "presence.join", "user": "alice", "name": "Alice", "session": .string(alice.id),
        "status": "online", "focus": nil, "meta": [:], "sessions": 1, "since": "2026-11-22T10:00:00.000Z",
    ])
}

@Test func joinCountsTheUsersSessionsAfterIt() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    harness.connect("alice")
    harness.connect("alice")

    #expect(harness.messages(of: bob, type: "presence.join").map { $0["sessions"] } == [1, 2])
}

@Test func userWithFourTabsStaysOnlineAfterClosingThree() throws {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let tabs = (0..<4).map { _ in harness.connect("alice") }
    for tab in tabs.prefix(3) { harness.disconnect(tab) }
    harness.advance(to: 3000)

    let leaves = harness.messages(of: bob, type: "presence.leave")
    #expect(leaves.map { $0["sessions"] } == [3, 2, 1])
    #expect(leaves.allSatisfy { $0["reason"] == "closed" })
    let users = (try JSONParser.parse(harness.hub.presenceDocument(workspace: "acme")))["users"]?.arrayValue ?? []
    let alice = users.first { $0["user"] == "alice" }
    #expect(alice?["sessions"]?.arrayValue?.map { $0["session"] } == [.string(tabs[3].id)])
}

@Test func presenceListsUsersByIDWithTheirTabsAsTheyComeAndGo() throws {
    let harness = CoreHarness()
    var generator = SystemRandomNumberGenerator()
    var open: [String: [Session]] = [:]
    for step in 0..<400 {
        let user = "u\(Int.random(in: 0..<40, using: &generator))"
        if let tabs = open[user], !tabs.isEmpty, Bool.random(using: &generator) {
            let tab = tabs.randomElement(using: &generator)!
            harness.send(#"{"type":"leave"}"#, from: tab)
            open[user] = tabs.filter { $0 !== tab }
        } else {
            harness.setClock(UInt64(step))
            open[user, default: []].append(harness.connect(user))
        }
    }

    let expected = open.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
    let users = (try JSONParser.parse(harness.hub.presenceDocument(workspace: "acme")))["users"]?.arrayValue ?? []
    #expect(users.compactMap { $0["user"]?.stringValue } == expected.map(\.key))
    #expect(users.map { $0["sessions"]?.arrayValue?.compactMap { $0["session"]?.stringValue } }
        == expected.map { $0.value.map(\.id) })
    for (user, tabs) in expected {
        #expect(harness.hub.workspace("acme")?.sessionCount(ofUser: user) == tabs.count)
    }
}

@Test func reloadInsideGraceResumesWithoutLeaveOrJoin() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.send(#"{"type":"presence.set","data":{"status":"away","focus":"contact:42","meta":{"tab":1}}}"#, from: alice)
    harness.clearInboxes()

    harness.setClock(100)
    harness.disconnect(alice)
    harness.setClock(2999)
    let resumed = harness.connect("alice", resume: alice.id)
    harness.advance(to: 10_000)

    #expect(harness.lastResumed)
    #expect(resumed === alice)
    #expect(resumed.isConnected)
    #expect(harness.messages(of: bob).isEmpty)
    #expect(alice.status == .away)
    #expect(alice.focus == "contact:42")
    #expect(alice.meta == ["tab": 1])
}

@Test func resumedWelcomeSaysResumed() throws {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.disconnect(alice)
    let resumed = harness.connect("alice", resume: alice.id)

    let welcome = try JSONParser.parse(harness.hub.welcome(for: resumed, resumed: harness.lastResumed, seq: 0, epoch: "e_1", plugins: []).bytes)
    #expect(welcome["resumed"] == true)
    #expect(welcome["session"] == .string(alice.id))
}

@Test func resumeOfAnotherUsersSessionStartsANewSession() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.disconnect(alice)
    harness.clearInboxes()

    let mallory = harness.connect("mallory", resume: alice.id)

    #expect(!harness.lastResumed)
    #expect(mallory !== alice)
    #expect(harness.messages(of: bob, type: "presence.join").count == 1)
    #expect(alice.isInGrace)
}

@Test func resumeOfAnUnknownSessionStartsANewSession() {
    let harness = CoreHarness()
    let session = harness.connect("alice", resume: "s_nope")

    #expect(!harness.lastResumed)
    #expect(session.id != "s_nope")
}

@Test func resumeOfAStillConnectedSessionStartsANewSession() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    let second = harness.connect("alice", resume: alice.id)

    #expect(!harness.lastResumed)
    #expect(second !== alice)
    #expect(harness.messages(of: bob, type: "presence.join").last?["sessions"] == 2)
}

@Test func resumeInAnotherWorkspaceStartsANewSession() {
    let harness = CoreHarness()
    let alice = harness.connect("alice", workspace: "acme")
    harness.disconnect(alice)
    let other = harness.connect("alice", workspace: "globex", resume: alice.id)

    #expect(!harness.lastResumed)
    #expect(other !== alice)
}

@Test func resumeAfterGraceEndedStartsANewSession() {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.disconnect(alice)
    harness.advance(to: 3000)
    let again = harness.connect("alice", resume: alice.id)

    #expect(!harness.lastResumed)
    #expect(again !== alice)
}

@Test func resumeAdoptsTheNewIdentity() {
    let harness = CoreHarness()
    let alice = harness.connect("alice", role: "editor")
    harness.disconnect(alice)
    let resumed = harness.connect("alice", role: "viewer", resume: alice.id)

    #expect(resumed.identity.role == "viewer")
}

@Test func vanishedSessionLeavesExactlyWhenGraceEnds() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.setClock(500)
    harness.disconnect(alice)

    harness.advance(to: 3499)
    #expect(harness.messages(of: bob, type: "presence.leave").isEmpty)
    harness.advance(to: 3500)
    #expect(harness.messages(of: bob, type: "presence.leave") == [
        ["type": "presence.leave", "user": "alice", "session": .string(alice.id), "sessions": 0, "reason": "closed"],
    ])
    #expect(alice.hasLeft)
}

@Test func timedOutSessionLeavesWithReasonTimeout() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.disconnect(alice, reason: .timeout)
    harness.advance(to: 3000)

    #expect(harness.messages(of: bob, type: "presence.leave").map { $0["reason"] } == ["timeout"])
}

@Test func sessionInGraceStillCountsEverywhere() throws {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.disconnect(alice)
    let bob = harness.connect("bob")

    let welcome = try JSONParser.parse(harness.hub.welcome(for: bob, resumed: false, seq: 0, epoch: "e_1", plugins: []).bytes)
    #expect(welcome["presence"]?.arrayValue?.compactMap { $0["user"]?.stringValue } == ["alice", "bob"])
    #expect((try JSONParser.parse(harness.hub.presenceDocument(workspace: "acme")))["count"] == 2)
    #expect(harness.hub.workspace("acme")?.sessionCount == 2)
    #expect(harness.hub.workspace("acme")?.connectedSessions.count == 1)
    #expect(harness.hub.connectedSessionCount == 1)

    harness.connect("alice")
    #expect(harness.messages(of: bob, type: "presence.join").last?["sessions"] == 2)
}

@Test func explicitLeaveIsImmediateAndClosesWith1000() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.send(#"{"type":"leave"}"#, from: alice)

    #expect(harness.messages(of: bob, type: "presence.leave").map { $0["reason"] } == ["left"])
    #expect(harness.closes.map(\.session) == [alice.id])
    #expect(harness.closes.map(\.code) == [1000])
    #expect(alice.hasLeft)
    #expect(harness.hub.nextDeadline == nil)
}

@Test func closingAfterLeaveSendsNothingMore() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.send(#"{"type":"leave"}"#, from: alice)
    harness.disconnect(alice)
    harness.advance(to: 10_000)

    #expect(harness.messages(of: bob, type: "presence.leave").count == 1)
}

@Test func kickLeavesAtOnceWithReasonKicked() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.kick(alice)

    #expect(harness.messages(of: bob, type: "presence.leave").map { $0["reason"] } == ["kicked"])
    #expect(harness.closes.isEmpty)
}

@Test func kickDuringGraceLeavesAtOnce() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.disconnect(alice)
    harness.kick(alice)

    #expect(harness.messages(of: bob, type: "presence.leave").map { $0["reason"] } == ["kicked"])
    harness.advance(to: 3000)
    #expect(harness.messages(of: bob, type: "presence.leave").count == 1)
}

@Test func workspaceIsDroppedWhenItsLastSessionLeaves() throws {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.connect("bob", workspace: "globex")
    harness.disconnect(alice)

    #expect(harness.hub.workspaceCount == 2)
    harness.advance(to: 3000)
    #expect(harness.hub.workspaceCount == 1)
    #expect(harness.hub.workspace("acme") == nil)
    #expect((try JSONParser.parse(harness.hub.presenceDocument(workspace: "acme"))) == ["workspace": "acme", "count": 0, "users": []])
}

@Test func leaveAfterTheWorkspaceWasDroppedIsHarmless() {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.disconnect(alice)
    harness.advance(to: 3000)
    harness.kick(alice)
    harness.disconnect(alice)

    #expect(alice.workspace.id == "acme")
    #expect(harness.hub.workspaceCount == 0)
}

@Test func presenceListsUsersWithTheirSessions() throws {
    let harness = CoreHarness()
    let alice = harness.connect("alice", name: "Alice")
    harness.setClock(1234)
    let tab = harness.connect("alice", name: "Alice")
    harness.send(#"{"type":"presence.set","data":{"status":"busy","focus":"task:1","meta":{"color":"red"}}}"#, from: tab)

    #expect((try JSONParser.parse(harness.hub.presenceDocument(workspace: "acme"))) == [
        "workspace": "acme", "count": 1,
        "users": [[
            "user": "alice", "name": "Alice",
            "sessions": [
                ["session": .string(alice.id), "status": "online", "focus": nil, "meta": [:], "since": "2026-11-22T10:00:00.000Z"],
                ["session": .string(tab.id), "status": "busy", "focus": "task:1", "meta": ["color": "red"], "since": "2026-11-22T10:00:01.234Z"],
            ],
        ]],
    ])
}

@Test func welcomeDescribesTheSessionTheWorkspaceAndWhoIsTyping() throws {
    let harness = CoreHarness(config: CoreConfig(typingTTLMs: 4000, cursorMaxHz: 20, heartbeatMs: 15000))
    let bob = harness.connect("bob", name: "Bob")
    harness.send(#"{"type":"typing","data":{"target":"contact:42/notes","active":true}}"#, from: bob)
    let alice = harness.connect("alice", name: "Alice", role: "admin")
    let plugins: JSONValue = [["name": "contacts", "types": ["contacts.create"]]]

    let welcome = harness.hub.welcome(for: alice, resumed: false, seq: 1042, epoch: "e_7Qm3", plugins: plugins)

    #expect(welcome.type == "welcome")
    #expect(welcome.text.hasPrefix(#"{"type":"welcome","#))
    #expect(try JSONParser.parse(welcome.bytes) == [
        "type": "welcome", "protocol": 1, "session": .string(alice.id), "resumed": false,
        "user": ["id": "alice", "name": "Alice", "role": "admin"],
        "workspace": "acme", "seq": 1042, "epoch": "e_7Qm3", "heartbeat_ms": 15000,
        "typing_ttl_ms": 4000, "cursor_max_hz": 20,
        "presence": [
            ["user": "alice", "name": "Alice", "sessions": [
                ["session": .string(alice.id), "status": "online", "focus": nil, "meta": [:], "since": "2026-11-22T10:00:00.000Z"],
            ]],
            ["user": "bob", "name": "Bob", "sessions": [
                ["session": .string(bob.id), "status": "online", "focus": nil, "meta": [:], "since": "2026-11-22T10:00:00.000Z"],
            ]],
        ],
        "typing": [["user": "bob", "session": .string(bob.id), "target": "contact:42/notes"]],
        "plugins": plugins,
    ])
}

@Test func defaultSessionIDsArePrefixedRandomBase62() {
    let first = SessionID.random(), second = SessionID.random()
    #expect(first.hasPrefix("s_"))
    #expect(first.count == 2 + SessionID.randomLength)
    #expect(first.dropFirst(2).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
    #expect(first != second)
}
