import HuddleCore
import HuddleJSON
import Testing

@Test func textThatIsNotJSONIsBadJSON() throws {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.send(#"{"type":"ping","id":17"#, from: alice)

    let error = try #require(harness.last(of: alice))
    #expect(error["type"] == "error")
    #expect(error["code"] == "bad_json")
    #expect(error["id"] == nil)
    #expect(alice.isConnected)
}

@Test(arguments: [
    (#"[1,2]"#, JSONValue?.none),
    (#""ping""#, nil),
    (#"{"id":17}"#, 17),
    (#"{"type":5,"id":"r7"}"#, "r7"),
    (#"{"type":null,"id":17}"#, 17),
    (#"{"type":"ping","id":true}"#, nil),
    (#"{"type":"ping","id":{"n":1}}"#, nil),
    (#"{"type":"contacts.create","id":17,"data":[1]}"#, 17),
    (#"{"type":"contacts.create","id":"r7","data":"x"}"#, "r7"),
    (#"{"type":"contacts.create","id":2.5,"data":1}"#, 2.5),
])
func malformedEnvelopeIsBadEnvelopeEchoingAValidID(text: String, id: JSONValue?) throws {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.send(text, from: alice)

    let error = try #require(harness.last(of: alice))
    #expect(error["code"] == "bad_envelope")
    #expect(error["id"] == id)
    #expect(harness.pluginCalls.isEmpty)
}

@Test func errorEchoesTheIDWithItsJSONType() throws {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.send(#"{"type":"presence.set","id":17,"data":{"status":"x"}}"#, from: alice)
    let numeric = try #require(harness.lastSends.first?.message.text)
    harness.send(#"{"type":"presence.set","id":"r7","data":{"status":"x"}}"#, from: alice)
    let textual = try #require(harness.lastSends.first?.message.text)

    #expect(numeric.contains(#""id":17,"#))
    #expect(textual.contains(#""id":"r7","#))
}

@Test func nullIDAndNullDataCountAsAbsent() throws {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.send(#"{"type":"contacts.list","id":null,"data":null}"#, from: alice)

    let call = try #require(harness.pluginCalls.first)
    #expect(call.id == nil)
    #expect(call.data.isEmpty)
}

@Test func unknownTypeBecomesAPluginCall() throws {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.send(#"{"type":"contacts.create","id":"r1","data":{"name":"Ann","tags":["a"],"n":3}}"#, from: alice)

    let call = try #require(harness.pluginCalls.first)
    #expect(call.session === alice)
    #expect(call.type == "contacts.create")
    #expect(call.id == "r1")
    #expect(call.data == ["name": "Ann", "tags": ["a"], "n": 3])
    #expect(harness.lastSends.isEmpty)
}

@Test func pingIsAnsweredWithPongEchoingTheID() {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.setClock(1234)
    harness.send(#"{"type":"ping","id":9}"#, from: alice)
    harness.send(#"{"type":"ping"}"#, from: alice)

    #expect(harness.messages(of: alice) == [
        ["type": "pong", "id": 9, "time": "2026-11-22T10:00:01.234Z"],
        ["type": "pong", "time": "2026-11-22T10:00:01.234Z"],
    ])
}

@Test func laterDuplicateEnvelopeMembersWin() throws {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.send(#"{"type":"leave","type":"contacts.get","data":{"id":"a"}}"#, from: alice)

    #expect(harness.pluginCalls.first?.type == "contacts.get")
    #expect(alice.isConnected)
}

@Test func validSyncBecomesASyncRequest() throws {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.send(#"{"type":"sync","id":"s1","data":{"since":1040,"epoch":"e_7Qm3"}}"#, from: alice)
    harness.send(#"{"type":"sync","data":{"since":0,"epoch":null}}"#, from: alice)

    #expect(harness.syncRequests.map(\.since) == [1040, 0])
    #expect(harness.syncRequests.map(\.epoch) == ["e_7Qm3", nil])
    #expect(harness.syncRequests.map(\.id) == ["s1", nil])
    #expect(harness.syncRequests.allSatisfy { $0.session === alice })
}

@Test(arguments: [
    (#"{"type":"sync","data":{}}"#, "since", "required"),
    (#"{"type":"sync"}"#, "since", "required"),
    (#"{"type":"sync","data":{"since":-1}}"#, "since", "out_of_range"),
    (#"{"type":"sync","data":{"since":"5"}}"#, "since", "wrong_type"),
    (#"{"type":"sync","data":{"since":1.5}}"#, "since", "wrong_type"),
    (#"{"type":"sync","data":{"since":1,"epoch":"bad epoch"}}"#, "epoch", "invalid_format"),
    (#"{"type":"sync","data":{"since":1,"epoch":""}}"#, "epoch", "invalid_format"),
    (#"{"type":"sync","data":{"since":1,"epoch":7}}"#, "epoch", "wrong_type"),
    (#"{"type":"sync","data":{"since":1,"from":2}}"#, "from", "not_allowed"),
])
func invalidSyncIsValidationFailed(text: String, field: String, problem: String) throws {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.send(text, from: alice)

    let error = try #require(harness.last(of: alice))
    #expect(error["code"] == "validation_failed")
    #expect(error["details"] == [["field": .string(field), "problem": .string(problem)]])
    #expect(harness.syncRequests.isEmpty)
}

@Test func syncEpochOfSixtyFiveCharactersIsInvalid() {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.send(#"{"type":"sync","data":{"since":1,"epoch":"\#(String(repeating: "e", count: 64))"}}"#, from: alice)
    harness.send(#"{"type":"sync","data":{"since":1,"epoch":"\#(String(repeating: "e", count: 65))"}}"#, from: alice)

    #expect(harness.syncRequests.count == 1)
    #expect(harness.last(of: alice)?["details"] == [["field": "epoch", "problem": "invalid_format"]])
}

@Test func errorMessageHasOneShape() throws {
    let error = Hub.errorMessage(
        code: "conflict", message: "version differs", id: "r2",
        details: [(field: "version", problem: "out_of_range")], extra: ["current": ["id": "c1"], "a": 1])

    #expect(error.type == "error")
    #expect(error.delivery == .prompt)
    #expect(error.text == #"{"type":"error","id":"r2","code":"conflict","message":"version differs","details":[{"field":"version","problem":"out_of_range"}],"a":1,"current":{"id":"c1"}}"#)
    #expect(!Hub.errorMessage(code: "internal", message: "bug", id: nil).text.contains("details"))
}
