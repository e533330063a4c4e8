import Deals
import HuddlePluginKit
import HuddlePluginTesting
import Testing

private typealias Harness = PluginHarness<DealsPlugin>

@Test func createdDealStartsInTheFirstStage() throws {
    let harness = try Harness()
    let created = try harness.write("deals.create", ["title": "ACME renewal"], expecting: "deals.created")
    #expect(created["deal"] == [
        "id": "id-1", "version": 1, "title": "ACME renewal", "stage": "Lead",
        "created_at": .string(harness.lastTimestamp), "updated_at": .string(harness.lastTimestamp),
        "created_by": "alice", "updated_by": "alice",
    ])
}

@Test func movingADealToAnotherStageBumpsItsVersion() throws {
    let harness = try Harness()
    try harness.write("deals.create", ["title": "ACME renewal"], expecting: "deals.created")
    let moved = try harness.write("deals.move_stage", ["id": "id-1", "stage": "Won", "version": 1],
                                  expecting: "deals.stage_moved")
    #expect(moved["from"] == "Lead")
    #expect(moved["to"] == "Won")
    #expect(moved["deal"]?["stage"] == "Won")
    #expect(moved["deal"]?["version"] == 2)
    #expect(try harness.read("deals.get", ["id": "id-1"]) == ["deal": moved["deal"] ?? nil])
}

@Test func unconfiguredStageIsUnknownStage() throws {
    let harness = try Harness(options: ["stages": ["Open", "Closed"]])
    #expect(try harness.problems("deals.create", ["title": "ACME", "stage": "Won"])
        == [FieldProblem("stage", .unknownStage)])
}

@Test func staleVersionIsAConflictCarryingTheCurrentDeal() throws {
    let harness = try Harness()
    try harness.write("deals.create", ["title": "ACME"], expecting: "deals.created")
    let moved = try harness.write("deals.move_stage", ["id": "id-1", "stage": "Qualified"], expecting: "deals.stage_moved")
    #expect(try harness.conflict("deals.move_stage", ["id": "id-1", "stage": "Won", "version": 1]) == moved["deal"])
}

@Test(arguments: [
    (["Lead", "", "Won"], "must not contain an empty name"),
    (["Lead", "Won", "Won"], "must not name a stage twice"),
    ([], "must name at least one stage"),
] as [([String], String)])
func badStagesAreRefused(stages: [String], message: String) {
    let error = configError(DealsPlugin.self, ["stages": .array(stages.map(JSONValue.string))])
    #expect(error == PluginConfigError(key: "plugins.deals.stages", message: message))
}

@Test func everyDealGetsItsOwnID() throws {
    let harness = try Harness()
    try harness.write("deals.create", ["title": "One"], expecting: "deals.created")
    let second = try harness.write("deals.create", ["title": "Two"], expecting: "deals.created")
    #expect(second["deal"]?["id"] == "id-2")
}

@Test func everyProblemOfARequestIsListed() throws {
    let harness = try Harness()
    #expect(try harness.problems("deals.move_stage", ["stage": 5, "amount": 10]) == [
        FieldProblem("amount", .notAllowed), FieldProblem("id", .required), FieldProblem("stage", .wrongType),
    ])
}

@Test func viewersCannotCreateDeals() throws {
    let harness = try Harness()
    #expect(try harness.error("deals.create", ["title": "ACME"], as: .victor).code == .forbidden)
}

@Test func missingDealIsNotFound() throws {
    let harness = try Harness()
    #expect(try harness.error("deals.move_stage", ["id": "nope", "stage": "Won"]).code == .notFound)
}
