import HuddlePluginKit
import HuddlePluginTesting
import Notes
import Testing

private typealias Harness = PluginHarness<NotesPlugin>

/// Adds a note as `user` and returns it as the event carried it.
@discardableResult
private func addNote(_ harness: Harness, subject: String = "contact:42", body: String,
                     as user: PluginUser = .alice) throws -> JSONValue {
    let event = try harness.write("notes.add", ["subject": .string(subject), "body": .string(body)], as: user,
                                  expecting: "notes.added")
    return try #require(event["note"])
}

// MARK: Add and list

@Test func addedNoteCarriesRecordFields() throws {
    let harness = try Harness()
    let note = try addNote(harness, body: "Met at the conference")
    #expect(note == [
        "id": "id-1", "version": 1, "subject": "contact:42", "body": "Met at the conference",
        "created_at": .string(harness.lastTimestamp), "updated_at": .string(harness.lastTimestamp),
        "created_by": "alice", "updated_by": "alice",
    ])
}

@Test func listGivesASubjectsNotesOldestFirst() throws {
    let harness = try Harness()
    try addNote(harness, body: "first")
    try addNote(harness, subject: "task:7", body: "elsewhere")
    try addNote(harness, body: "second", as: .bob)
    try harness.write("notes.edit", ["id": "id-1", "body": "first, edited"], expecting: "notes.edited")
    let notes = try harness.read("notes.list", ["subject": "contact:42"])["notes"]?.arrayValue
    #expect(notes?.map { $0["body"] } == ["first, edited", "second"])
}

@Test func listOfSubjectWithoutNotesIsEmpty() throws {
    let harness = try Harness()
    #expect(try harness.read("notes.list", ["subject": "contact:1"]) == ["notes": []])
}

@Test func listRequiresSubject() throws {
    let harness = try Harness()
    #expect(try harness.problems("notes.list") == [FieldProblem("subject", .required)])
}

@Test func subjectIsOneTo128Characters() throws {
    let harness = try Harness()
    try addNote(harness, subject: "s".times(128), body: "ok")
    #expect(try harness.problems("notes.add", ["subject": .string("s".times(129)), "body": "x"])
        == [FieldProblem("subject", .tooLong)])
    #expect(try harness.problems("notes.add", ["subject": "", "body": "x"]) == [FieldProblem("subject", .tooShort)])
}

@Test func addRequiresSubjectAndBody() throws {
    let harness = try Harness()
    #expect(try harness.problems("notes.add", ["body": nil])
        == [FieldProblem("subject", .required), FieldProblem("body", .required)])
}

@Test func bodyIsAtMost10000CharactersByDefault() throws {
    let harness = try Harness()
    try addNote(harness, body: "é".times(10_000))
    #expect(try harness.problems("notes.add", ["subject": "s", "body": .string("b".times(10_001))])
        == [FieldProblem("body", .tooLong)])
    #expect(try harness.problems("notes.add", ["subject": "s", "body": ""]) == [FieldProblem("body", .tooShort)])
}

@Test func maxLengthOptionBoundsTheBody() throws {
    let harness = try Harness(options: ["max_length": 5])
    try addNote(harness, body: "12345")
    #expect(try harness.problems("notes.add", ["subject": "s", "body": "123456"]) == [FieldProblem("body", .tooLong)])
    #expect(try harness.problems("notes.edit", ["id": "id-1", "body": "123456"]) == [FieldProblem("body", .tooLong)])
}

@Test func maxLengthOutOfRangeIsAConfigError() {
    #expect(configError(NotesPlugin.self, ["max_length": 0])?.key == "plugins.notes.max_length")
    #expect(configError(NotesPlugin.self, ["max_length": "long"])?.key == "plugins.notes.max_length")
}

@Test func unknownNotesOptionIsAConfigError() {
    #expect(configError(NotesPlugin.self, ["maxlength": 5])?.key == "plugins.notes.maxlength")
}

@Test func unknownNoteFieldIsNotAllowed() throws {
    let harness = try Harness()
    #expect(try harness.problems("notes.add", ["subject": "s", "body": "b", "pinned": true])
        == [FieldProblem("pinned", .notAllowed)])
    try addNote(harness, body: "b")
    #expect(try harness.problems("notes.edit", ["id": "id-1", "body": "b", "subject": "task:1"])
        == [FieldProblem("subject", .notAllowed)])
}

// MARK: Edit and delete

@Test func authorEditsBodyAndBumpsVersion() throws {
    let harness = try Harness()
    let added = try addNote(harness, body: "draft")
    let event = try harness.write("notes.edit", ["id": "id-1", "body": "final", "version": 1], expecting: "notes.edited")
    var expected = try #require(added.objectValue)
    expected["body"] = "final"
    expected["version"] = 2
    expected["updated_at"] = .string(harness.lastTimestamp)
    #expect(event == ["note": .object(expected)])
}

@Test func editRequiresBody() throws {
    let harness = try Harness()
    try addNote(harness, body: "draft")
    #expect(try harness.problems("notes.edit", ["id": "id-1"]) == [FieldProblem("body", .required)])
}

@Test func deleteAnnouncesIdAndSubject() throws {
    let harness = try Harness()
    try addNote(harness, subject: "task:7", body: "b")
    #expect(try harness.write("notes.delete", ["id": "id-1"], expecting: "notes.deleted")
        == ["id": "id-1", "subject": "task:7"])
    #expect(try harness.read("notes.list", ["subject": "task:7"]) == ["notes": []])
}

@Test(arguments: [("notes.edit", ["id": "id-1", "body": "mine now"] as JSONValue),
                  ("notes.delete", ["id": "id-1"] as JSONValue)])
func otherEditorCannotChangeSomeonesNote(type: String, data: JSONValue) throws {
    let harness = try Harness()
    try addNote(harness, body: "alice's")
    #expect(try harness.error(type, data, as: .bob).code == .forbidden)
}

@Test func adminEditsAndDeletesSomeoneElsesNote() throws {
    let harness = try Harness()
    try addNote(harness, body: "alice's")
    let edited = try harness.write("notes.edit", ["id": "id-1", "body": "moderated"], as: .ada, expecting: "notes.edited")
    #expect(edited["note"]?["updated_by"] == "ada")
    #expect(edited["note"]?["created_by"] == "alice")
    try harness.write("notes.delete", ["id": "id-1"], as: .ada, expecting: "notes.deleted")
}

@Test(arguments: [("notes.add", ["subject": "s", "body": "b"] as JSONValue),
                  ("notes.edit", ["id": "id-1", "body": "b"] as JSONValue),
                  ("notes.delete", ["id": "id-1"] as JSONValue)])
func viewerCannotWriteNotes(type: String, data: JSONValue) throws {
    let harness = try Harness()
    try addNote(harness, body: "b")
    #expect(try harness.error(type, data, as: .victor).code == .forbidden)
}

@Test func viewerCanListNotes() throws {
    let harness = try Harness()
    try addNote(harness, body: "b")
    #expect(try harness.read("notes.list", ["subject": "contact:42"], as: .victor)["notes"]?.arrayValue?.count == 1)
}

@Test func staleVersionOfNoteIsConflictCarryingCurrent() throws {
    let harness = try Harness()
    try addNote(harness, body: "v1")
    let edited = try harness.write("notes.edit", ["id": "id-1", "body": "v2"], expecting: "notes.edited")
    let conflict = try harness.error("notes.delete", ["id": "id-1", "version": 1])
    #expect(conflict.code == .conflict)
    #expect(conflict.current == edited["note"])
}

@Test func editOfMissingNoteIsNotFound() throws {
    let harness = try Harness()
    #expect(try harness.error("notes.edit", ["id": "id-9", "body": "b"]).code == .notFound)
}

// MARK: Precedence

@Test func noteValidationOutranksNotFoundAndForbidden() throws {
    let harness = try Harness()
    try addNote(harness, body: "b")
    #expect(try harness.problems("notes.edit", ["id": "id-1", "body": ""], as: .bob) == [FieldProblem("body", .tooShort)])
    #expect(try harness.problems("notes.edit", ["id": "id-9", "body": ""]) == [FieldProblem("body", .tooShort)])
}

@Test func missingNoteOutranksForbidden() throws {
    let harness = try Harness()
    #expect(try harness.error("notes.delete", ["id": "id-9"], as: .victor).code == .notFound)
}

@Test func notBeingTheAuthorOutranksConflict() throws {
    let harness = try Harness()
    try addNote(harness, body: "b")
    #expect(try harness.error("notes.edit", ["id": "id-1", "body": "x", "version": 5], as: .bob).code == .forbidden)
}
