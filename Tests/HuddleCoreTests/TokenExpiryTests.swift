import HuddleCore
import HuddleJSON
import Testing

// docs/protocol.md §1 "Tokens that expire while connected", on the pure core.

@Test func expiringIsSentAMinuteBeforeExpAndTheSessionClosesAtExp() {
    let harness = CoreHarness()
    let watcher = harness.connect("bob")
    let alice = harness.connect("alice", tokenExpiresInMs: 120_000)
    harness.advance(to: 59_999)
    #expect(harness.messages(of: alice, type: "auth.expiring").isEmpty)
    harness.advance(to: 60_000)
    #expect(harness.messages(of: alice, type: "auth.expiring") == [["type": "auth.expiring", "in_ms": 60_000]])

    harness.setClock(118_000)
    harness.send(#"{"type":"typing","data":{"target":"t","active":true}}"#, from: alice)
    harness.clearInboxes()
    harness.advance(to: 120_000)
    #expect(harness.closes.map(\.code) == [4001] && harness.closes.map(\.reason) == ["token_expired"])
    #expect(harness.messages(of: watcher, type: "presence.leave").first?["reason"] == "expired")
    #expect(harness.messages(of: watcher, type: "typing").first?["active"] == false)
}

@Test func aTokenWithLessThanAMinuteLeftIsWarnedAtOnce() {
    let harness = CoreHarness()
    let alice = harness.connect("alice", tokenExpiresInMs: 20_000)
    #expect(harness.messages(of: alice, type: "auth.expiring") == [["type": "auth.expiring", "in_ms": 20_000]])
    #expect(harness.hub.nextDeadline == 20_000)
}

@Test func aTokenWithoutExpNeverExpires() {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    #expect(harness.hub.nextDeadline == nil)
    #expect(harness.messages(of: alice, type: "auth.expiring").isEmpty)
}

@Test func refreshIsHandedToTheServerAndAVerifiedOneMovesExpAndTheRole() {
    let harness = CoreHarness()
    let alice = harness.connect("alice", role: "editor", tokenExpiresInMs: 120_000)
    harness.send(#"{"type":"auth.refresh","id":"r1","data":{"token":"new.jwt.here"}}"#, from: alice)
    #expect(harness.tokenRefreshes.map(\.token) == ["new.jwt.here"] && harness.tokenRefreshes.first?.id == "r1")

    harness.setClock(100_000)
    let renewed = harness.identity("alice", role: "viewer", tokenExpiresInMs: 600_000)
    harness.refreshed(alice, id: "r1", as: renewed)
    let exp = Int((renewed.tokenExpiresAtUnixMs ?? 0) / 1000)
    #expect(harness.last(of: alice) == ["type": "ack", "id": "r1", "exp": .int(exp)])
    #expect(alice.identity.role == "viewer")
    harness.advance(to: 130_000)
    #expect(harness.closes.isEmpty && harness.messages(of: alice, type: "auth.expiring").isEmpty)
    harness.advance(to: 640_000)
    #expect(harness.messages(of: alice, type: "auth.expiring").count == 1)
    harness.advance(to: 700_000)
    #expect(harness.closes.map(\.code) == [4001])
}

@Test func refreshWithoutATokenIsAValidationError() {
    let harness = CoreHarness()
    let alice = harness.connect("alice", tokenExpiresInMs: 120_000)
    harness.send(#"{"type":"auth.refresh","id":"r1","data":{}}"#, from: alice)
    #expect(harness.last(of: alice)?["code"] == "validation_failed")
    #expect(harness.last(of: alice)?["details"]?[0]?["field"] == "token")
    #expect(harness.tokenRefreshes.isEmpty)
}
