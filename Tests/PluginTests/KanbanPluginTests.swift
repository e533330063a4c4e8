import HuddlePluginKit
import HuddlePluginTesting
import Kanban
import Testing

private typealias Harness = PluginHarness<KanbanPlugin>

private let columns: JSONValue = ["Todo", "Doing", "Done"]

/// A board with columns Todo, Doing (WIP limit 2) and Done.
private func smallBoard() throws -> Harness {
    try Harness(options: ["columns": columns, "wip_limits": ["Doing": 2]])
}

/// Creates a task and returns the event's data.
@discardableResult
private func createTask(_ harness: Harness, _ data: JSONValue, as user: PluginUser = .alice) throws -> JSONValue {
    try harness.write("kanban.create", data, as: user, expecting: "kanban.created")
}

/// Each column's task ids, as `kanban.board` lists them.
private func boardIDs(_ harness: Harness) throws -> [String: [String]] {
    let board = try harness.read("kanban.board")
    var result: [String: [String]] = [:]
    for column in board["columns"]?.arrayValue ?? [] {
        result[column["name"]?.stringValue ?? ""] = column["tasks"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
    }
    return result
}

// MARK: Create

@Test func createdTaskGoesToTheEndOfTheFirstColumn() throws {
    let harness = try smallBoard()
    try createTask(harness, ["title": "one"])
    let event = try createTask(harness, ["title": "two", "description": "details"])
    #expect(event == [
        "task": [
            "id": "id-2", "version": 1, "title": "two", "description": "details", "assignee": nil,
            "column": "Todo", "position": 1,
            "created_at": .string(harness.lastTimestamp), "updated_at": .string(harness.lastTimestamp),
            "created_by": "alice", "updated_by": "alice",
        ],
        "order": ["Todo": ["id-1", "id-2"]],
    ])
}

@Test func createAtPositionInsertsThere() throws {
    let harness = try smallBoard()
    try createTask(harness, ["title": "a", "column": "Done"])
    try createTask(harness, ["title": "b", "column": "Done"])
    let event = try createTask(harness, ["title": "c", "column": "Done", "position": 1])
    #expect(event["task"]?["position"] == 1)
    #expect(event["order"] == ["Done": ["id-1", "id-3", "id-2"]])
}

@Test func createPositionIsClamped() throws {
    let harness = try smallBoard()
    try createTask(harness, ["title": "a"])
    #expect(try createTask(harness, ["title": "b", "position": 99])["task"]?["position"] == 1)
    #expect(try createTask(harness, ["title": "c", "position": -5])["task"]?["position"] == 0)
    #expect(try boardIDs(harness)["Todo"] == ["id-3", "id-1", "id-2"])
}

@Test func taskFieldsAreValidated() throws {
    let harness = try smallBoard()
    #expect(try harness.problems("kanban.create", [
        "title": .string("t".times(201)), "assignee": "", "description": 3, "position": "top", "colour": "red",
    ]) == [FieldProblem("colour", .notAllowed), FieldProblem("title", .tooLong), FieldProblem("description", .wrongType),
           FieldProblem("assignee", .tooShort), FieldProblem("position", .wrongType)])
    #expect(try harness.problems("kanban.create", ["description": "d"]) == [FieldProblem("title", .required)])
}

@Test func unconfiguredColumnIsUnknownColumn() throws {
    let harness = try smallBoard()
    #expect(try harness.problems("kanban.create", ["title": "t", "column": "Backlog"])
        == [FieldProblem("column", .unknownColumn)])
    try createTask(harness, ["title": "t"])
    #expect(try harness.problems("kanban.move", ["id": "id-1", "column": "todo", "position": 0])
        == [FieldProblem("column", .unknownColumn)])
}

@Test func createIntoFullColumnIsWipLimit() throws {
    let harness = try smallBoard()
    try createTask(harness, ["title": "a", "column": "Doing"])
    try createTask(harness, ["title": "b", "column": "Doing"])
    #expect(try harness.problems("kanban.create", ["title": "c", "column": "Doing"])
        == [FieldProblem("column", .wipLimit)])
    #expect(try boardIDs(harness)["Doing"] == ["id-1", "id-2"])
}

@Test func createTakesNoId() throws {
    let harness = try smallBoard()
    #expect(try harness.problems("kanban.create", ["title": "t", "id": "mine", "version": 1])
        == [FieldProblem("id", .notAllowed), FieldProblem("version", .notAllowed)])
}

// MARK: Move

@Test func moveToAnotherColumnReportsBothOrders() throws {
    let harness = try smallBoard()
    for title in ["a", "b", "c"] { try createTask(harness, ["title": .string(title)]) }
    try createTask(harness, ["title": "d", "column": "Done"])
    let event = try harness.write("kanban.move", ["id": "id-2", "column": "Done", "position": 0, "version": 1],
                                  as: .bob, expecting: "kanban.moved")
    #expect(event["from"] == "Todo")
    #expect(event["to"] == "Done")
    #expect(event["order"] == ["Todo": ["id-1", "id-3"], "Done": ["id-2", "id-4"]])
    #expect(event["task"]?["column"] == "Done")
    #expect(event["task"]?["position"] == 0)
    #expect(event["task"]?["version"] == 2)
    #expect(event["task"]?["updated_by"] == "bob")
}

@Test func moveLeavesOtherTasksVersionsAlone() throws {
    let harness = try smallBoard()
    for title in ["a", "b", "c"] { try createTask(harness, ["title": .string(title)]) }
    try harness.write("kanban.move", ["id": "id-3", "column": "Todo", "position": 0], expecting: "kanban.moved")
    try harness.write("kanban.update", ["id": "id-1", "changes": ["title": "A"], "version": 1],
                      expecting: "kanban.updated")
    let todo = try harness.read("kanban.board")["columns"]?.arrayValue?.first?["tasks"]?.arrayValue
    #expect(todo?.map { $0["version"] } == [2, 2, 1])
    #expect(todo?.map { $0["position"] } == [0, 1, 2])
}

@Test func reorderWithinAColumnReportsOneOrder() throws {
    let harness = try smallBoard()
    for title in ["a", "b", "c"] { try createTask(harness, ["title": .string(title)]) }
    let event = try harness.write("kanban.move", ["id": "id-1", "column": "Todo", "position": 2],
                                  expecting: "kanban.moved")
    #expect(event["from"] == "Todo")
    #expect(event["to"] == "Todo")
    #expect(event["order"] == ["Todo": ["id-2", "id-3", "id-1"]])
}

@Test func movePositionIsClamped() throws {
    let harness = try smallBoard()
    for title in ["a", "b"] { try createTask(harness, ["title": .string(title), "column": "Done"]) }
    try createTask(harness, ["title": "c"])
    let toEnd = try harness.write("kanban.move", ["id": "id-3", "column": "Done", "position": 50],
                                  expecting: "kanban.moved")
    #expect(toEnd["task"]?["position"] == 2)
    let toFront = try harness.write("kanban.move", ["id": "id-3", "column": "Done", "position": -1],
                                    expecting: "kanban.moved")
    #expect(toFront["order"] == ["Done": ["id-3", "id-1", "id-2"]])
}

@Test func moveIntoFullColumnIsWipLimit() throws {
    let harness = try smallBoard()
    try createTask(harness, ["title": "a", "column": "Doing"])
    try createTask(harness, ["title": "b", "column": "Doing"])
    try createTask(harness, ["title": "c"])
    let failure = try harness.error("kanban.move", ["id": "id-3", "column": "Doing", "position": 0])
    #expect(failure.code == .validationFailed)
    #expect(failure.details == [FieldProblem("column", .wipLimit)])
    #expect(try boardIDs(harness) == ["Todo": ["id-3"], "Doing": ["id-1", "id-2"], "Done": []])
}

@Test func reorderInsideFullColumnIsAllowed() throws {
    let harness = try smallBoard()
    try createTask(harness, ["title": "a", "column": "Doing"])
    try createTask(harness, ["title": "b", "column": "Doing"])
    let event = try harness.write("kanban.move", ["id": "id-2", "column": "Doing", "position": 0],
                                  expecting: "kanban.moved")
    #expect(event["order"] == ["Doing": ["id-2", "id-1"]])
}

@Test func moveRequiresColumnAndPosition() throws {
    let harness = try smallBoard()
    try createTask(harness, ["title": "a"])
    #expect(try harness.problems("kanban.move", ["id": "id-1"])
        == [FieldProblem("column", .required), FieldProblem("position", .required)])
}

@Test func moveWithStaleVersionIsConflictCarryingPlacedTask() throws {
    let harness = try smallBoard()
    try createTask(harness, ["title": "a"])
    let moved = try harness.write("kanban.move", ["id": "id-1", "column": "Done", "position": 0],
                                  expecting: "kanban.moved")
    let conflict = try harness.error("kanban.move", ["id": "id-1", "column": "Todo", "position": 0, "version": 1])
    #expect(conflict.code == .conflict)
    #expect(conflict.current == moved["task"])
    #expect(conflict.current?["column"] == "Done")
}

@Test func moveOfMissingTaskIsNotFound() throws {
    let harness = try smallBoard()
    #expect(try harness.error("kanban.move", ["id": "id-9", "column": "Done", "position": 0]).code == .notFound)
}

// MARK: Update and delete

@Test func updateChangesFieldsAndKeepsPlace() throws {
    let harness = try smallBoard()
    try createTask(harness, ["title": "a", "description": "old", "column": "Done"])
    let event = try harness.write("kanban.update", ["id": "id-1", "changes": ["assignee": "bob", "description": nil]],
                                  expecting: "kanban.updated")
    let task = try #require(event["task"])
    #expect(task["assignee"] == "bob")
    #expect(task["description"] == .null)
    #expect(task["column"] == "Done")
    #expect(task["position"] == 0)
    #expect(task["version"] == 2)
    #expect(event.objectValue?.keys.sorted() == ["task"])
}

@Test func updateCannotClearTitleOrMoveTheTask() throws {
    let harness = try smallBoard()
    try createTask(harness, ["title": "a"])
    #expect(try harness.problems("kanban.update", ["id": "id-1", "changes": ["title": nil, "column": "Done"]])
        == [FieldProblem("column", .notAllowed), FieldProblem("title", .required)])
    #expect(try harness.problems("kanban.update", ["id": "id-1", "changes": [:]]) == [FieldProblem("changes", .required)])
}

@Test func updateWithStaleVersionIsConflict() throws {
    let harness = try smallBoard()
    let created = try createTask(harness, ["title": "a"])
    let conflict = try harness.error("kanban.update", ["id": "id-1", "changes": ["title": "b"], "version": 2])
    #expect(conflict.code == .conflict)
    #expect(conflict.current == created["task"])
}

@Test func deleteReportsTheColumnsNewOrder() throws {
    let harness = try smallBoard()
    for title in ["a", "b"] { try createTask(harness, ["title": .string(title)]) }
    #expect(try harness.write("kanban.delete", ["id": "id-1", "version": 1], expecting: "kanban.deleted")
        == ["id": "id-1", "order": ["Todo": ["id-2"]]])
    #expect(try boardIDs(harness)["Todo"] == ["id-2"])
    #expect(try harness.error("kanban.delete", ["id": "id-1"]).code == .notFound)
}

@Test func deletingFromFullColumnMakesRoom() throws {
    let harness = try smallBoard()
    try createTask(harness, ["title": "a", "column": "Doing"])
    try createTask(harness, ["title": "b", "column": "Doing"])
    try harness.write("kanban.delete", ["id": "id-1"], expecting: "kanban.deleted")
    try createTask(harness, ["title": "c", "column": "Doing"])
}

// MARK: Board

@Test func boardListsEveryConfiguredColumnWithItsLimitAndTasks() throws {
    let harness = try smallBoard()
    let first = try createTask(harness, ["title": "a", "column": "Doing"])
    let board = try harness.read("kanban.board")
    #expect(board == ["columns": [
        ["name": "Todo", "wip_limit": nil, "tasks": []],
        ["name": "Doing", "wip_limit": 2, "tasks": [try #require(first["task"])]],
        ["name": "Done", "wip_limit": nil, "tasks": []],
    ]])
}

@Test func defaultBoardHasFourColumns() throws {
    let harness = try Harness()
    let names = try harness.read("kanban.board")["columns"]?.arrayValue?.map { $0["name"] }
    #expect(names == ["Backlog", "In Progress", "Review", "Done"])
}

@Test func boardTakesNoFields() throws {
    let harness = try smallBoard()
    #expect(try harness.problems("kanban.board", ["column": "Todo"]) == [FieldProblem("column", .notAllowed)])
}

// MARK: Roles and precedence

@Test(arguments: [
    ("kanban.create", ["title": "t"] as JSONValue),
    ("kanban.update", ["id": "id-1", "changes": ["title": "t"]] as JSONValue),
    ("kanban.move", ["id": "id-1", "column": "Done", "position": 0] as JSONValue),
    ("kanban.delete", ["id": "id-1"] as JSONValue),
])
func viewerCannotChangeTheBoard(type: String, data: JSONValue) throws {
    let harness = try smallBoard()
    try createTask(harness, ["title": "a"])
    #expect(try harness.error(type, data, as: .victor).code == .forbidden)
    _ = try harness.read("kanban.board", as: .victor)
}

@Test func wipLimitOutranksNotFoundAndForbidden() throws {
    let harness = try smallBoard()
    try createTask(harness, ["title": "a", "column": "Doing"])
    try createTask(harness, ["title": "b", "column": "Doing"])
    try createTask(harness, ["title": "c"])
    #expect(try harness.problems("kanban.move", ["id": "id-3", "column": "Doing", "position": 0], as: .victor)
        == [FieldProblem("column", .wipLimit)])
    #expect(try harness.problems("kanban.move", ["id": "id-9", "column": "Doing", "position": 0])
        == [FieldProblem("column", .wipLimit)])
}

@Test func missingTaskOutranksForbidden() throws {
    let harness = try smallBoard()
    #expect(try harness.error("kanban.move", ["id": "id-9", "column": "Done", "position": 0], as: .victor).code
        == .notFound)
}

@Test func forbiddenOutranksConflictOnTasks() throws {
    let harness = try smallBoard()
    try createTask(harness, ["title": "a"])
    #expect(try harness.error("kanban.delete", ["id": "id-1", "version": 9], as: .victor).code == .forbidden)
}

// MARK: Options

@Test func wipLimitNamingNoConfiguredColumnIsAConfigError() {
    let error = configError(KanbanPlugin.self, ["columns": columns, "wip_limits": ["In Progress": 3]])
    #expect(error?.key == "plugins.kanban.wip_limits")
    #expect(error?.message.contains("In Progress") == true)
}

@Test func wipLimitsMustBeATableOfIntegers() {
    #expect(configError(KanbanPlugin.self, ["wip_limits": 3])?.key == "plugins.kanban.wip_limits")
    #expect(configError(KanbanPlugin.self, ["wip_limits": ["Done": "3"]])?.key == "plugins.kanban.wip_limits")
    #expect(configError(KanbanPlugin.self, ["wip_limits": ["Done": -1]])?.key == "plugins.kanban.wip_limits")
}

@Test(arguments: [[] as JSONValue, ["A", "A"] as JSONValue, ["A", ""] as JSONValue, "A" as JSONValue])
func badColumnsAreAConfigError(value: JSONValue) {
    #expect(configError(KanbanPlugin.self, ["columns": value])?.key == "plugins.kanban.columns")
}

@Test func unknownKanbanOptionIsAConfigError() {
    #expect(configError(KanbanPlugin.self, ["wip_limit": ["Done": 1]])?.key == "plugins.kanban.wip_limit")
}
