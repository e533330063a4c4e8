import HuddleCore
import HuddleJSON
import Testing

private func cursor(_ x: Int) -> String { #"{"type":"cursor","data":{"x":\#(x)}}"# }

/// `1000 / 30` rounded up.
private let window: UInt64 = 34

@Test func cursorRelaysTheClientsDataBytesVerbatim() throws {
    let harness = CoreHarness()
    harness.connect("bob")
    let alice = harness.connect("alice")
    harness.send(#"{"type":"cursor", "data":{"x": 0.42 ,"y":1E2}}"#, from: alice)

    let relay = try #require(harness.lastSends.first?.message)
    #expect(relay.text == #"{"type":"cursor","user":"alice","session":"\#(alice.id)","data":{"x": 0.42 ,"y":1E2}}"#)
    #expect(relay.delivery == .droppable)
}

@Test func cursorIsEncodedOnceForEveryRecipient() {
    let harness = CoreHarness()
    let others = (0..<5).map { harness.connect("user\($0)") }
    let alice = harness.connect("alice")
    harness.send(cursor(1), from: alice)

    #expect(harness.lastSends.count == 1)
    #expect(others.allSatisfy { harness.messages(of: $0, type: "cursor").count == 1 })
    #expect(harness.messages(of: alice, type: "cursor").isEmpty)
}

@Test func cursorOutsideAWindowIsRelayedAtOnce() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.send(cursor(1), from: alice)
    harness.setClock(window)
    harness.send(cursor(2), from: alice)

    #expect(harness.messages(of: bob, type: "cursor").map { $0["data"]?["x"] } == [1, 2])
}

@Test func cursorInsideAWindowKeepsOnlyTheLatestUntilTheWindowCloses() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.send(cursor(1), from: alice)
    harness.setClock(10)
    harness.send(cursor(2), from: alice)
    harness.setClock(20)
    harness.send(cursor(3), from: alice)
    #expect(harness.hub.nextDeadline == window)

    harness.advance(to: window - 1)
    #expect(harness.messages(of: bob, type: "cursor").map { $0["data"]?["x"] } == [1])
    harness.advance(to: window)
    #expect(harness.messages(of: bob, type: "cursor").map { $0["data"]?["x"] } == [1, 3])
}

@Test func trailingRelayOpensTheNextWindow() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.send(cursor(1), from: alice)
    harness.setClock(10)
    harness.send(cursor(2), from: alice)
    harness.advance(to: window)
    harness.setClock(window + 5)
    harness.send(cursor(3), from: alice)

    #expect(harness.messages(of: bob, type: "cursor").count == 2)
    #expect(harness.hub.nextDeadline == 2 * window)
    harness.advance(to: 2 * window)
    #expect(harness.messages(of: bob, type: "cursor").map { $0["data"]?["x"] } == [1, 2, 3])
}

@Test func windowWithoutATrailingCursorArmsNothing() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.send(cursor(1), from: alice)

    #expect(harness.hub.nextDeadline == nil)
    harness.setClock(2 * window)
    harness.send(cursor(2), from: alice)
    #expect(harness.messages(of: bob, type: "cursor").count == 2)
}

@Test func finalCursorPositionSurvivesTheConnectionDropping() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.send(cursor(1), from: alice)
    harness.setClock(5)
    harness.send(cursor(9), from: alice)
    harness.disconnect(alice)
    harness.advance(to: window)

    #expect(harness.messages(of: bob, type: "cursor").map { $0["data"]?["x"] } == [1, 9])
}

@Test func nothingOfASessionIsRelayedAfterItsLeave() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.send(cursor(1), from: alice)
    harness.setClock(5)
    harness.send(cursor(9), from: alice)
    harness.send(#"{"type":"leave"}"#, from: alice)
    harness.advance(to: 1000)

    #expect(harness.messages(of: bob, type: "cursor").map { $0["data"]?["x"] } == [1])
    #expect(harness.types(of: bob).last == "presence.leave")
}

@Test func cursorDataOverTheLimitIsTooLarge() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    let fits = #"{"p":""# + String(repeating: "a", count: 512 - 8) + #""}"#
    let over = #"{"p":""# + String(repeating: "a", count: 513 - 8) + #""}"#
    #expect(fits.utf8.count == 512)
    harness.send(#"{"type":"cursor","data":\#(fits)}"#, from: alice)
    harness.setClock(window)
    harness.send(#"{"type":"cursor","id":5,"data":\#(over)}"#, from: alice)

    #expect(harness.messages(of: bob, type: "cursor").count == 1)
    #expect(harness.last(of: alice)?["code"] == "too_large")
    #expect(harness.last(of: alice)?["id"] == 5)
}

@Test func cursorWithoutDataIsRequired() {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.send(#"{"type":"cursor","data":null}"#, from: alice)

    #expect(harness.last(of: alice)?["code"] == "validation_failed")
    #expect(harness.last(of: alice)?["details"] == [["field": "data", "problem": "required"]])
}

@Test func cursorWindowFollowsMaxHz() {
    let harness = CoreHarness(config: CoreConfig(cursorMaxHz: 10))
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.send(cursor(1), from: alice)
    harness.setClock(99)
    harness.send(cursor(2), from: alice)
    #expect(harness.hub.nextDeadline == 100)
    harness.advance(to: 100)

    #expect(harness.messages(of: bob, type: "cursor").count == 2)
}
