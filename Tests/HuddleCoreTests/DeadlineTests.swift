import HuddleCore
import Testing

@Test func nextDeadlineIsTheEarliestPendingOne() {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    let bob = harness.connect("bob")
    harness.send(#"{"type":"typing","data":{"target":"t","active":true}}"#, from: alice)
    harness.setClock(1000)
    harness.disconnect(bob)

    #expect(harness.hub.nextDeadline == 4000)
    harness.advance(to: 4000)
    #expect(harness.hub.nextDeadline == 5000)
    harness.advance(to: 5000)
    #expect(harness.hub.nextDeadline == nil)
}

@Test func refreshedTypingMovesTheNextDeadline() {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.send(#"{"type":"typing","data":{"target":"t","active":true}}"#, from: alice)
    harness.setClock(2000)
    harness.send(#"{"type":"typing","data":{"target":"t","active":true}}"#, from: alice)

    #expect(harness.hub.nextDeadline == 7000)
}

@Test func resumedSessionHasNoGraceDeadline() {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.disconnect(alice)
    harness.connect("alice", resume: alice.id)

    #expect(harness.hub.nextDeadline == nil)
}

@Test func oneAdvanceFiresEverythingDueInDeadlineOrder() {
    let harness = CoreHarness()
    let carol = harness.connect("carol")
    let alice = harness.connect("alice")
    let bob = harness.connect("bob")
    harness.send(#"{"type":"typing","data":{"target":"t","active":true}}"#, from: alice)
    harness.setClock(1000)
    harness.disconnect(bob)
    harness.advance(to: 60_000)

    #expect(harness.types(of: carol).suffix(2) == ["presence.leave", "typing"])
}
