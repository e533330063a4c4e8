import Contacts
import HuddlePluginKit
import HuddlePluginTesting
import Testing

private typealias Harness = PluginHarness<ContactsPlugin>

/// Creates a contact and returns it as the event carried it.
@discardableResult
private func createContact(_ harness: Harness, _ data: JSONValue, as user: PluginUser = .alice) throws -> JSONValue {
    try #require(harness.write("contacts.create", data, as: user, expecting: "contacts.created")["contact"])
}

// MARK: Create

@Test func createdContactCarriesRecordFields() throws {
    let harness = try Harness()
    let contact = try createContact(harness, ["name": "Grace Hopper", "email": "grace@navy.mil", "tags": ["vip"]])
    #expect(contact == [
        "id": "id-1", "version": 1, "name": "Grace Hopper", "email": "grace@navy.mil", "phone": nil,
        "company": nil, "tags": ["vip"],
        "created_at": .string(harness.lastTimestamp), "updated_at": .string(harness.lastTimestamp),
        "created_by": "alice", "updated_by": "alice",
    ])
}

@Test func createdContactCanBeRead() throws {
    let harness = try Harness()
    let contact = try createContact(harness, ["name": "Grace"])
    #expect(try harness.read("contacts.get", ["id": "id-1"]) == ["contact": contact])
}

@Test func createWithoutNameIsRequired() throws {
    let harness = try Harness()
    #expect(try harness.problems("contacts.create", ["email": "a@b.c"]) == [FieldProblem("name", .required)])
    #expect(try harness.problems("contacts.create", ["name": nil]) == [FieldProblem("name", .required)])
}

@Test func nameLengthCountsUnicodeScalars() throws {
    let harness = try Harness()
    // "e" + COMBINING ACUTE ACCENT: one character, two scalars.
    let accented = "e\u{301}"
    try createContact(harness, ["name": .string(accented.times(100))])
    #expect(try harness.problems("contacts.create", ["name": .string(accented.times(100) + "x")])
        == [FieldProblem("name", .tooLong)])
    try createContact(harness, ["name": .string("😀".times(200))])
    #expect(try harness.problems("contacts.create", ["name": ""]) == [FieldProblem("name", .tooShort)])
}

@Test func fieldOfWrongTypeIsWrongType() throws {
    let harness = try Harness()
    #expect(try harness.problems("contacts.create", ["name": 5, "company": ["x"], "tags": "vip"])
        == [FieldProblem("name", .wrongType), FieldProblem("company", .wrongType), FieldProblem("tags", .wrongType)])
}

@Test func unknownFieldIsNotAllowed() throws {
    let harness = try Harness()
    #expect(try harness.problems("contacts.create", ["name": "Grace", "nickname": "Amazing"])
        == [FieldProblem("nickname", .notAllowed)])
}

@Test func createTakesNoVersion() throws {
    let harness = try Harness()
    #expect(try harness.problems("contacts.create", ["name": "Grace", "version": 1])
        == [FieldProblem("version", .notAllowed)])
}

@Test func everyProblemIsReported() throws {
    let harness = try Harness()
    let problems = try harness.problems("contacts.create", ["zip": "1", "email": "nope", "phone": "call me"])
    #expect(problems == [FieldProblem("zip", .notAllowed), FieldProblem("name", .required),
                         FieldProblem("email", .invalidFormat), FieldProblem("phone", .invalidFormat)])
}

@Test(arguments: ["", "plain", "@example.com", "grace@localhost", "grace@@example.com", "a@b@example.com"])
func malformedEmailIsInvalidFormat(email: String) throws {
    let harness = try Harness()
    #expect(try harness.problems("contacts.create", ["name": "Grace", "email": .string(email)])
        == [FieldProblem("email", .invalidFormat)])
}

@Test func emailLongerThan254IsTooLong() throws {
    let harness = try Harness()
    let domain = "@example.com"
    try createContact(harness, ["name": "A", "email": .string("a".times(254 - domain.count) + domain)])
    #expect(try harness.problems("contacts.create", ["name": "B", "email": .string("b".times(255 - domain.count) + domain)])
        == [FieldProblem("email", .tooLong)])
}

@Test func phoneAllowsDigitsSpacesAndPunctuation() throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace", "phone": "+1 (555) 010-99.99"])
    #expect(try harness.problems("contacts.create", ["name": "Grace", "phone": "555 CALL"])
        == [FieldProblem("phone", .invalidFormat)])
    #expect(try harness.problems("contacts.create", ["name": "Grace", "phone": ""]) == [FieldProblem("phone", .tooShort)])
    #expect(try harness.problems("contacts.create", ["name": "Grace", "phone": .string("5".times(41))])
        == [FieldProblem("phone", .tooLong)])
}

@Test func companyIsOneTo200Characters() throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace", "company": .string("c".times(200))])
    #expect(try harness.problems("contacts.create", ["name": "Grace", "company": .string("c".times(201))])
        == [FieldProblem("company", .tooLong)])
    #expect(try harness.problems("contacts.create", ["name": "Grace", "company": ""])
        == [FieldProblem("company", .tooShort)])
}

@Test func tagsAreAtMostTwentyStringsOfAtMostFortyCharacters() throws {
    let harness = try Harness()
    let twenty = JSONValue.array((1...20).map { .string("tag\($0)") })
    try createContact(harness, ["name": "A", "tags": twenty, "email": nil])
    let tooMany = JSONValue.array((1...21).map { .string("tag\($0)") })
    #expect(try harness.problems("contacts.create", ["name": "B", "tags": tooMany]) == [FieldProblem("tags", .tooMany)])
    #expect(try harness.problems("contacts.create", ["name": "B", "tags": [.string("t".times(41))]])
        == [FieldProblem("tags", .tooLong)])
    #expect(try harness.problems("contacts.create", ["name": "B", "tags": [""]]) == [FieldProblem("tags", .tooShort)])
    #expect(try harness.problems("contacts.create", ["name": "B", "tags": ["ok", 7]]) == [FieldProblem("tags", .wrongType)])
}

@Test func repeatedTagIsDuplicate() throws {
    let harness = try Harness()
    #expect(try harness.problems("contacts.create", ["name": "B", "tags": ["vip", "vip"]])
        == [FieldProblem("tags", .duplicate)])
}

// MARK: Options

@Test func requiredFieldsCanRequireEmail() throws {
    let harness = try Harness(options: ["required_fields": ["name", "email"]])
    #expect(try harness.problems("contacts.create", ["name": "Grace"]) == [FieldProblem("email", .required)])
}

@Test func nameStaysRequiredWhenRequiredFieldsOmitsIt() throws {
    let harness = try Harness(options: ["required_fields": ["phone"]])
    #expect(try harness.problems("contacts.create", ["company": "Navy"])
        == [FieldProblem("name", .required), FieldProblem("phone", .required)])
}

@Test func requiredFieldsNamingAnotherFieldIsAConfigError() {
    let error = configError(ContactsPlugin.self, ["required_fields": ["name", "tags"]])
    #expect(error?.key == "plugins.contacts.required_fields")
}

@Test func requiredFieldsOfWrongTypeIsAConfigError() {
    #expect(configError(ContactsPlugin.self, ["required_fields": "email"])?.key == "plugins.contacts.required_fields")
}

@Test func uniqueEmailOfWrongTypeIsAConfigError() {
    #expect(configError(ContactsPlugin.self, ["unique_email": "yes"])?.key == "plugins.contacts.unique_email")
}

@Test func unknownContactsOptionIsAConfigError() {
    #expect(configError(ContactsPlugin.self, ["unique_emails": false])?.key == "plugins.contacts.unique_emails")
}

// MARK: Email uniqueness

@Test func emailDifferingOnlyInCaseIsDuplicate() throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace", "email": "Grace@Navy.mil"])
    #expect(try harness.problems("contacts.create", ["name": "Imposter", "email": "grace@navy.MIL"])
        == [FieldProblem("email", .duplicate)])
}

@Test func rejectedDuplicateLeavesNoRecordBehind() throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace", "email": "grace@navy.mil"])
    _ = try harness.problems("contacts.create", ["name": "Imposter", "email": "grace@navy.mil"])
    #expect(try harness.read("contacts.list")["contacts"]?.arrayValue?.count == 1)
}

@Test func duplicateEmailsAreAllowedWhenUniqueEmailIsOff() throws {
    let harness = try Harness(options: ["unique_email": false])
    try createContact(harness, ["name": "Grace", "email": "grace@navy.mil"])
    try createContact(harness, ["name": "Twin", "email": "grace@navy.mil"])
}

@Test func updateKeepingOwnEmailInOtherCaseIsNotDuplicate() throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace", "email": "grace@navy.mil"])
    try harness.write("contacts.update", ["id": "id-1", "changes": ["email": "GRACE@navy.mil"]],
                      expecting: "contacts.updated")
}

@Test func updateToAnotherContactsEmailIsDuplicate() throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace", "email": "grace@navy.mil"])
    try createContact(harness, ["name": "Alan", "email": "alan@bletchley.uk"])
    #expect(try harness.problems("contacts.update", ["id": "id-2", "changes": ["email": "Grace@navy.mil"]])
        == [FieldProblem("email", .duplicate)])
}

@Test func clearedEmailIsFreeForAnotherContact() throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace", "email": "grace@navy.mil"])
    try harness.write("contacts.update", ["id": "id-1", "changes": ["email": nil]], expecting: "contacts.updated")
    try createContact(harness, ["name": "Grace II", "email": "grace@navy.mil"])
}

@Test func deletedContactsEmailIsFreeAgain() throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace", "email": "grace@navy.mil"])
    try harness.write("contacts.delete", ["id": "id-1"], expecting: "contacts.deleted")
    try createContact(harness, ["name": "Grace II", "email": "grace@navy.mil"])
}

// MARK: Update

@Test func updateMergesChangesAndBumpsVersion() throws {
    let harness = try Harness()
    let created = try createContact(harness, ["name": "Grace", "company": "Navy"])
    let event = try harness.write("contacts.update", ["id": "id-1", "changes": ["phone": "555"], "version": 1],
                                  as: .bob, expecting: "contacts.updated")
    var expected = try #require(created.objectValue)
    expected["phone"] = "555"
    expected["version"] = 2
    expected["updated_at"] = .string(harness.lastTimestamp)
    expected["updated_by"] = "bob"
    #expect(event == ["contact": .object(expected), "changes": ["phone": "555"]])
    #expect(try harness.read("contacts.get", ["id": "id-1"]) == ["contact": .object(expected)])
}

@Test func nullInChangesClearsOptionalField() throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace", "company": "Navy", "tags": ["a"]])
    let event = try harness.write("contacts.update", ["id": "id-1", "changes": ["company": nil, "tags": nil]],
                                  expecting: "contacts.updated")
    #expect(event["contact"]?["company"] == .null)
    #expect(event["contact"]?["tags"] == .null)
    #expect(event["changes"] == ["company": nil, "tags": nil])
}

@Test func nullInChangesForRequiredFieldIsRequired() throws {
    let harness = try Harness(options: ["required_fields": ["email"]])
    try createContact(harness, ["name": "Grace", "email": "grace@navy.mil"])
    #expect(try harness.problems("contacts.update", ["id": "id-1", "changes": ["name": nil, "email": nil]])
        == [FieldProblem("name", .required), FieldProblem("email", .required)])
}

@Test func changesMustNameAField() throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace"])
    #expect(try harness.problems("contacts.update", ["id": "id-1", "changes": [:]]) == [FieldProblem("changes", .required)])
    #expect(try harness.problems("contacts.update", ["id": "id-1"]) == [FieldProblem("changes", .required)])
    #expect(try harness.problems("contacts.update", ["id": "id-1", "changes": "name"])
        == [FieldProblem("changes", .wrongType)])
}

@Test func unknownFieldInChangesIsNotAllowedUnderItsPlainName() throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace"])
    #expect(try harness.problems("contacts.update", ["id": "id-1", "changes": ["id": "x", "name": "G"]])
        == [FieldProblem("id", .notAllowed)])
}

@Test func invalidValueInChangesIsReported() throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace"])
    #expect(try harness.problems("contacts.update", ["id": "id-1", "changes": ["email": "grace"]])
        == [FieldProblem("email", .invalidFormat)])
}

@Test func staleVersionIsConflictCarryingCurrent() throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace"])
    let updated = try harness.write("contacts.update", ["id": "id-1", "changes": ["name": "Grace H"]],
                                    expecting: "contacts.updated")
    let conflict = try harness.error("contacts.update", ["id": "id-1", "changes": ["name": "G"], "version": 1])
    #expect(conflict.code == .conflict)
    #expect(conflict.current == updated["contact"])
}

@Test func versionMustBeAPositiveInteger() throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace"])
    #expect(try harness.problems("contacts.delete", ["id": "id-1", "version": "1"]) == [FieldProblem("version", .wrongType)])
    #expect(try harness.problems("contacts.delete", ["id": "id-1", "version": 0]) == [FieldProblem("version", .outOfRange)])
}

@Test func updateOfMissingContactIsNotFound() throws {
    let harness = try Harness()
    #expect(try harness.error("contacts.update", ["id": "nope", "changes": ["name": "G"]]).code == .notFound)
}

// MARK: Delete and get

@Test func deleteAnnouncesIdAndRemovesContact() throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace"])
    #expect(try harness.write("contacts.delete", ["id": "id-1", "version": 1], expecting: "contacts.deleted")
        == ["id": "id-1"])
    #expect(try harness.error("contacts.get", ["id": "id-1"]).code == .notFound)
}

@Test func deleteWithStaleVersionIsConflict() throws {
    let harness = try Harness()
    let contact = try createContact(harness, ["name": "Grace"])
    let conflict = try harness.error("contacts.delete", ["id": "id-1", "version": 3])
    #expect(conflict.code == .conflict)
    #expect(conflict.current == contact)
}

@Test func getRequiresAnId() throws {
    let harness = try Harness()
    #expect(try harness.problems("contacts.get") == [FieldProblem("id", .required)])
    #expect(try harness.problems("contacts.get", ["id": 1]) == [FieldProblem("id", .wrongType)])
}

// MARK: Roles and precedence

@Test(arguments: [
    ("contacts.create", ["name": "Vic"] as JSONValue),
    ("contacts.update", ["id": "id-1", "changes": ["name": "Vic"]] as JSONValue),
    ("contacts.delete", ["id": "id-1"] as JSONValue),
])
func viewerCannotWrite(type: String, data: JSONValue) throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace"])
    #expect(try harness.error(type, data, as: .victor).code == .forbidden)
}

@Test func viewerCanRead() throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace"])
    _ = try harness.read("contacts.get", ["id": "id-1"], as: .victor)
    _ = try harness.read("contacts.list", as: .victor)
}

@Test func validationOutranksForbidden() throws {
    let harness = try Harness()
    #expect(try harness.problems("contacts.create", ["name": ""], as: .victor) == [FieldProblem("name", .tooShort)])
}

@Test func duplicateEmailOutranksForbidden() throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace", "email": "grace@navy.mil"])
    #expect(try harness.problems("contacts.create", ["name": "V", "email": "grace@navy.mil"], as: .victor)
        == [FieldProblem("email", .duplicate)])
}

@Test func validationOutranksNotFound() throws {
    let harness = try Harness()
    #expect(try harness.problems("contacts.update", ["id": "nope", "changes": ["phone": "x"]])
        == [FieldProblem("phone", .invalidFormat)])
}

@Test func notFoundOutranksForbidden() throws {
    let harness = try Harness()
    #expect(try harness.error("contacts.delete", ["id": "nope"], as: .victor).code == .notFound)
}

@Test func forbiddenOutranksConflict() throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace"])
    #expect(try harness.error("contacts.delete", ["id": "id-1", "version": 7], as: .victor).code == .forbidden)
}

// MARK: List

private func names(_ result: JSONValue) -> [String] {
    result["contacts"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
}

@Test func listOrdersByNameIgnoringCaseThenId() throws {
    let harness = try Harness()
    for name in ["bob", "Alice", "alice", "Carol", "ALICE"] { try createContact(harness, ["name": .string(name)]) }
    let result = try harness.read("contacts.list")
    #expect(names(result) == ["Alice", "alice", "ALICE", "bob", "Carol"])
    #expect(result["contacts"]?.arrayValue?.prefix(3).map { $0["id"] } == ["id-2", "id-3", "id-5"])
    #expect(result["next"] == .null)
}

@Test func listQueryMatchesNameEmailOrCompanyIgnoringCase() throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace Hopper"])
    try createContact(harness, ["name": "Alan", "email": "turing@HOPPERS.example"])
    try createContact(harness, ["name": "Ada", "company": "Grasshopper Ltd"])
    try createContact(harness, ["name": "Edsger", "phone": "5550100", "tags": ["hopper"]])
    #expect(names(try harness.read("contacts.list", ["query": "HOPPER"])) == ["Ada", "Alan", "Grace Hopper"])
}

@Test func listPagesWithNextPassedBackAsAfter() throws {
    let harness = try Harness()
    for name in ["e", "d", "c", "b", "a"] { try createContact(harness, ["name": .string(name)]) }
    let first = try harness.read("contacts.list", ["limit": 2])
    #expect(names(first) == ["a", "b"])
    let second = try harness.read("contacts.list", ["limit": 2, "after": try #require(first["next"])])
    #expect(names(second) == ["c", "d"])
    let third = try harness.read("contacts.list", ["limit": 2, "after": try #require(second["next"])])
    #expect(names(third) == ["e"])
    #expect(third["next"] == .null)
}

@Test func listPageEndingExactlyAtTheLastContactHasNoNext() throws {
    let harness = try Harness()
    for name in ["a", "b"] { try createContact(harness, ["name": .string(name)]) }
    #expect(try harness.read("contacts.list", ["limit": 2])["next"] == .null)
}

@Test func listCursorSurvivesDeletionOfItsContact() throws {
    let harness = try Harness()
    for name in ["a", "b", "c"] { try createContact(harness, ["name": .string(name)]) }
    let first = try harness.read("contacts.list", ["limit": 2])
    try harness.write("contacts.delete", ["id": "id-2"], expecting: "contacts.deleted")
    #expect(names(try harness.read("contacts.list", ["after": try #require(first["next"])])) == ["c"])
}

@Test func listLimitDefaultsTo100() throws {
    let harness = try Harness()
    for number in 1...101 { try createContact(harness, ["name": .string("contact \(1000 + number)")]) }
    let result = try harness.read("contacts.list")
    #expect(result["contacts"]?.arrayValue?.count == 100)
    #expect(result["next"] != .null)
}

@Test(arguments: [0, 501, -1])
func listLimitOutside1To500IsOutOfRange(limit: Int) throws {
    let harness = try Harness()
    #expect(try harness.problems("contacts.list", ["limit": .int(limit)]) == [FieldProblem("limit", .outOfRange)])
}

@Test func listRejectsForgedCursorAndUnknownFields() throws {
    let harness = try Harness()
    #expect(try harness.problems("contacts.list", ["after": "not-a-cursor", "sort": "email", "limit": "10"])
        == [FieldProblem("sort", .notAllowed), FieldProblem("limit", .wrongType), FieldProblem("after", .invalidFormat)])
}

// MARK: Versions

@Test func storedVersionIsTheOneTheRecordCarries() throws {
    let harness = try Harness()
    try createContact(harness, ["name": "Grace"])
    try harness.write("contacts.update", ["id": "id-1", "changes": ["name": "G"]], expecting: "contacts.updated")
    let failure = try harness.error("contacts.delete", ["id": "id-1", "version": 1])
    #expect(failure.message == "version 1 is stale; the record is at version 2")
    #expect(failure.current?["version"] == 2)
}
