import HuddleCore
import HuddleJSON
import Testing

@Test func presenceSetUpdatesEverySessionIncludingTheSender() {
    let harness = CoreHarness()
    let bob = harness.connect("bob")
    let alice = harness.connect("alice")
    harness.clearInboxes()
    harness.send(#"{"type":"presence.set","data":{"status":"away","focus":"contact:42"}}"#, from: alice)

    let update: JSONValue = [
        "type": "presence.update", "user": "alice", "session": .string(alice.id),
        "status": "away", "focus": "contact:42", "meta": [:],
    ]
    #expect(harness.messages(of: alice) == [update])
    #expect(harness.messages(of: bob) == [update])
    #expect(harness.lastSends.count == 1)
}

@Test func presenceSetThatChangesNothingSendsNothing() {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.send(#"{"type":"presence.set","data":{"status":"away","meta":{"a":1}}}"#, from: alice)
    harness.clearInboxes()

    harness.send(#"{"type":"presence.set","data":{"status":"away","meta":{ "a" : 1 }}}"#, from: alice)
    harness.send(#"{"type":"presence.set","data":{}}"#, from: alice)
    harness.send(#"{"type":"presence.set"}"#, from: alice)

    #expect(harness.messages(of: alice).isEmpty)
}

@Test func presenceSetKeepsFieldsItDoesNotName() {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.send(#"{"type":"presence.set","data":{"focus":"task:9","meta":{"k":true}}}"#, from: alice)
    harness.send(#"{"type":"presence.set","data":{"status":"busy"}}"#, from: alice)

    #expect(harness.last(of: alice)?["focus"] == "task:9")
    #expect(harness.last(of: alice)?["meta"] == ["k": true])
}

@Test func presenceSetNullFocusClearsIt() {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.send(#"{"type":"presence.set","data":{"focus":"task:9"}}"#, from: alice)
    harness.send(#"{"type":"presence.set","data":{"focus":null}}"#, from: alice)

    #expect(harness.messages(of: alice, type: "presence.update").count == 2)
    #expect(alice.focus == nil)
}

@Test(arguments: [
    (#"{"type":"presence.set","id":1,"data":{"mood":"happy"}}"#, "mood", "not_allowed"),
    (#"{"type":"presence.set","id":1,"data":{"status":"sleeping"}}"#, "status", "invalid_format"),
    (#"{"type":"presence.set","id":1,"data":{"status":3}}"#, "status", "wrong_type"),
    (#"{"type":"presence.set","id":1,"data":{"focus":7}}"#, "focus", "wrong_type"),
    (#"{"type":"presence.set","id":1,"data":{"meta":[1]}}"#, "meta", "wrong_type"),
])
func presenceSetRejectsInvalidFields(text: String, field: String, problem: String) throws {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.send(text, from: alice)

    let error = try #require(harness.last(of: alice))
    #expect(error["type"] == "error")
    #expect(error["id"] == 1)
    #expect(error["code"] == "validation_failed")
    #expect(error["details"] == [["field": .string(field), "problem": .string(problem)]])
    #expect(alice.status == .online)
}

@Test func presenceSetFocusOverMaxLengthIsTooLong() {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    let fits = String(repeating: "é", count: 128), over = String(repeating: "é", count: 129)
    harness.send(#"{"type":"presence.set","data":{"focus":"\#(fits)"}}"#, from: alice)
    harness.send(#"{"type":"presence.set","data":{"focus":"\#(over)"}}"#, from: alice)

    #expect(harness.types(of: alice) == ["presence.update", "error"])
    #expect(harness.last(of: alice)?["details"] == [["field": "focus", "problem": "too_long"]])
    #expect(alice.focus == fits)
}

@Test func presenceSetMetaCountsItsBytesAsTheyAppearInTheFrame() {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    // `{"k":"…"}` plus padding spaces inside the object: exactly 1024 bytes, then 1025.
    let value = String(repeating: "x", count: 1000)
    let compact = #"{"k":"\#(value)"}"#
    let exact = "{" + String(repeating: " ", count: 1024 - compact.utf8.count) + compact.dropFirst()
    let over = "{ " + exact.dropFirst()
    #expect(exact.utf8.count == 1024)
    harness.send(#"{"type":"presence.set","data":{"meta":\#(exact)}}"#, from: alice)
    harness.send(#"{"type":"presence.set","id":"m","data":{"meta":\#(over)}}"#, from: alice)

    #expect(harness.types(of: alice) == ["presence.update", "error"])
    #expect(harness.last(of: alice)?["code"] == "too_large")
    #expect(harness.last(of: alice)?["id"] == "m")
}

@Test func presenceSetWithAnInvalidFieldChangesNothing() {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.send(#"{"type":"presence.set","data":{"status":"away","focus":5}}"#, from: alice)

    #expect(harness.types(of: alice) == ["error"])
    #expect(alice.status == .online)
}
