import HuddleCore
import HuddleJSON
import Testing

private func typing(_ target: String, _ active: Bool) -> String {
    #"{"type":"typing","data":{"target":"\#(target)","active":\#(active)}}"#
}

@Test func typingStartGoesToEveryOtherSession() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice", name: "Alice")
    harness.send(typing("contact:42/notes", true), from: alice)

    #expect(harness.messages(of: alice).isEmpty)
    #expect(harness.last(of: bob) == [
        "type": "typing", "user": "alice", "name": "Alice", "session": .string(alice.id),
        "target": "contact:42/notes", "active": true,
    ])
    #expect(harness.lastSends.first?.message.delivery == .droppable)
}

@Test func repeatedTypingStartOnlyRefreshesTheTimer() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.send(typing("t", true), from: alice)
    harness.setClock(4000)
    harness.send(typing("t", true), from: alice)

    harness.advance(to: 8999)
    #expect(harness.messages(of: bob, type: "typing").count == 1)
    harness.advance(to: 9000)
    #expect(harness.messages(of: bob, type: "typing").map { $0["active"] } == [true, false])
    #expect(harness.last(of: bob)?["reason"] == "expired")
}

@Test func typingExpiresAfterTTLWithoutRefresh() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.send(typing("t", true), from: alice)

    #expect(harness.hub.nextDeadline == 5000)
    harness.advance(to: 4999)
    #expect(harness.messages(of: bob, type: "typing").count == 1)
    harness.advance(to: 5000)
    #expect(harness.last(of: bob)?["active"] == false)
    #expect(harness.last(of: bob)?["reason"] == "expired")
    #expect(harness.hub.nextDeadline == nil)
}

@Test func typingStopIsSentOnceAndADuplicateStopSendsNothing() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.send(typing("t", true), from: alice)
    harness.send(typing("t", false), from: alice)
    harness.send(typing("t", false), from: alice)
    harness.advance(to: 10_000)

    #expect(harness.messages(of: bob, type: "typing").map { $0["active"] } == [true, false])
    #expect(harness.last(of: bob)?["reason"] == "stopped")
}

@Test func typingStopsWithReasonLeftAtOnceWhenTheConnectionDrops() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.send(typing("a", true), from: alice)
    harness.send(typing("b", true), from: alice)
    harness.disconnect(alice)

    let stops = harness.messages(of: bob, type: "typing").filter { $0["active"] == false }
    #expect(stops.map { $0["target"] } == ["a", "b"])
    #expect(stops.allSatisfy { $0["reason"] == "left" })
    #expect(harness.messages(of: bob, type: "presence.leave").isEmpty)
}

@Test func typingStopsWithReasonLeftBeforeAnExplicitLeave() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.send(typing("a", true), from: alice)
    harness.send(#"{"type":"leave"}"#, from: alice)

    #expect(harness.types(of: bob).suffix(2) == ["typing", "presence.leave"])
    #expect(harness.messages(of: bob, type: "typing").last?["reason"] == "left")
}

@Test func resumedSessionIsNoLongerTyping() throws {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.send(typing("a", true), from: alice)
    harness.disconnect(alice)
    let resumed = harness.connect("alice", resume: alice.id)
    harness.advance(to: 20_000)

    let welcome = try JSONParser.parse(harness.hub.welcome(for: resumed, resumed: true, seq: 0, epoch: "e", plugins: []).bytes)
    #expect(welcome["typing"] == [])
}

@Test func typingBeyondMaxTargetsIsRateLimitedUntilTheEarliestExpiry() throws {
    let harness = CoreHarness(config: CoreConfig(typingTTLMs: 5000, typingMaxTargets: 2))
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.setClock(100)
    harness.send(typing("a", true), from: alice)
    harness.setClock(300)
    harness.send(typing("b", true), from: alice)
    harness.setClock(1000)
    harness.send(#"{"type":"typing","id":"t3","data":{"target":"c","active":true}}"#, from: alice)

    let error = try #require(harness.last(of: alice))
    #expect(error["code"] == "rate_limited")
    #expect(error["retry_after_ms"] == 4100)
    #expect(error["id"] == "t3")
    #expect(error["details"] == [["field": "target", "problem": "too_many"]])
    #expect(harness.messages(of: bob, type: "typing").count == 2)
}

@Test func typingATargetAlreadyActiveIsNotLimitedByMaxTargets() {
    let harness = CoreHarness(config: CoreConfig(typingMaxTargets: 1))
    let alice = harness.connect("alice")
    harness.send(typing("a", true), from: alice)
    harness.send(typing("a", true), from: alice)

    #expect(harness.messages(of: alice).isEmpty)
}

@Test(arguments: [
    (#"{"type":"typing","data":{"target":"t"}}"#, "active", "required"),
    (#"{"type":"typing","data":{"active":true}}"#, "target", "required"),
    (#"{"type":"typing","data":{"target":"","active":true}}"#, "target", "too_short"),
    (#"{"type":"typing","data":{"target":1,"active":true}}"#, "target", "wrong_type"),
    (#"{"type":"typing","data":{"target":"t","active":"yes"}}"#, "active", "wrong_type"),
    (#"{"type":"typing","data":{"target":"t","active":true,"x":1}}"#, "x", "not_allowed"),
])
func typingRejectsInvalidFields(text: String, field: String, problem: String) throws {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.send(text, from: alice)

    let error = try #require(harness.last(of: alice))
    #expect(error["code"] == "validation_failed")
    #expect(error["details"] == [["field": .string(field), "problem": .string(problem)]])
}

@Test func typingTargetLengthCountsUnicodeScalars() {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.send(typing(String(repeating: "😀", count: 128), true), from: alice)
    harness.send(typing(String(repeating: "😀", count: 129), true), from: alice)

    #expect(harness.types(of: alice) == ["error"])
    #expect(harness.last(of: alice)?["details"] == [["field": "target", "problem": "too_long"]])
}

@Test func typingRestartedAfterAStopExpiresOnItsNewTimer() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.send(typing("t", true), from: alice)
    harness.setClock(1000)
    harness.send(typing("t", false), from: alice)
    harness.setClock(2000)
    harness.send(typing("t", true), from: alice)

    harness.advance(to: 6999)
    #expect(harness.messages(of: bob, type: "typing").map { $0["active"] } == [true, false, true])
    harness.advance(to: 7000)
    #expect(harness.messages(of: bob, type: "typing").map { $0["active"] } == [true, false, true, false])
}

@Test func typingPastItsTTLExpiresBeforeANewTargetEvenIfNoDeadlineFiredYet() {
    let harness = CoreHarness(config: CoreConfig(typingTTLMs: 5000, typingMaxTargets: 1))
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.send(typing("a", true), from: alice)
    harness.setClock(6000)
    harness.send(typing("b", true), from: alice)
    harness.advance(to: 6000)

    #expect(harness.messages(of: alice).isEmpty)
    let relays = harness.messages(of: bob, type: "typing")
    #expect(relays.map { $0["target"] } == ["a", "a", "b"])
    #expect(relays.map { $0["reason"] } == [nil, "expired", nil])
}
