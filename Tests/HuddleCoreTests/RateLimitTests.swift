import HuddleCore
import HuddleJSON
import Testing

private let ping = #"{"type":"ping"}"#

@Test func messagesBeyondTheBurstAreRateLimitedAndDropped() throws {
    let harness = CoreHarness(config: CoreConfig(messagesPerSecond: 50, burst: 100))
    let alice = harness.connect("alice")
    for _ in 0..<100 { harness.send(ping, from: alice) }
    harness.send(#"{"type":"ping","id":"late"}"#, from: alice)

    #expect(harness.messages(of: alice, type: "pong").count == 100)
    let error = try #require(harness.last(of: alice))
    #expect(error["code"] == "rate_limited")
    #expect(error["retry_after_ms"] == 20)
    #expect(error["id"] == "late")
}

@Test func bucketRefillsAtTheConfiguredRate() {
    let harness = CoreHarness(config: CoreConfig(messagesPerSecond: 50, burst: 100))
    let alice = harness.connect("alice")
    for _ in 0..<100 { harness.send(ping, from: alice) }
    harness.setClock(19)
    harness.send(ping, from: alice)
    harness.setClock(20)
    harness.send(ping, from: alice)
    harness.send(ping, from: alice)

    #expect(harness.types(of: alice).suffix(3) == ["error", "pong", "error"])
}

@Test func bucketNeverHoldsMoreThanTheBurst() {
    let harness = CoreHarness(config: CoreConfig(messagesPerSecond: 50, burst: 3))
    let alice = harness.connect("alice")
    harness.setClock(60_000)
    for _ in 0..<4 { harness.send(ping, from: alice) }

    #expect(harness.types(of: alice) == ["pong", "pong", "pong", "error"])
}

@Test func invalidMessagesCostATokenToo() {
    let harness = CoreHarness(config: CoreConfig(burst: 2))
    let alice = harness.connect("alice")
    harness.send("not json", from: alice)
    harness.send("[1]", from: alice)
    harness.send(ping, from: alice)

    #expect(harness.messages(of: alice).map { $0["code"] } == ["bad_json", "bad_envelope", "rate_limited"])
}

/// One message every 100 ms at 1 token/s from `from` to `through`; returns
/// the clock at which the session was closed, if it was.
private func flood(_ harness: CoreHarness, _ session: Session, from: UInt64, through: UInt64) -> UInt64? {
    for ms in stride(from: from, through: through, by: 100) {
        harness.setClock(ms)
        harness.send(ping, from: session)
        if !harness.closes.isEmpty { return ms }
    }
    return nil
}

@Test func rejectionStreakLastingTheAbuseLimitKicksAndCloses4008() {
    let harness = CoreHarness(config: CoreConfig(messagesPerSecond: 1, burst: 1))
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")

    // First rejection at 100 ms starts the streak; it has lasted 10 s at 10 100 ms.
    #expect(flood(harness, alice, from: 0, through: 20_000) == 10_100)
    #expect(harness.closes.map(\.code) == [4008])
    #expect(harness.messages(of: bob, type: "presence.leave").map { $0["reason"] } == ["kicked"])
    #expect(alice.hasLeft)
}

@Test func rejectionStreakEndsAfterAQuietSecond() {
    let harness = CoreHarness(config: CoreConfig(messagesPerSecond: 1, burst: 1))
    let alice = harness.connect("alice")

    #expect(flood(harness, alice, from: 0, through: 9000) == nil)
    #expect(flood(harness, alice, from: 10_000, through: 19_000) == nil)
    #expect(alice.isConnected)
}

@Test func messagesFromASessionThatIsNotConnectedAreIgnored() {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.disconnect(alice)
    harness.send(ping, from: alice)

    #expect(harness.lastSends.isEmpty)
}
