import HuddlePluginKit

/// The `kanban` domain: one board per workspace, its columns fixed by the
/// configuration (docs/protocol.md, "kanban").
///
/// Options (`[plugins.kanban]`):
/// - `columns` (default `["Backlog", "In Progress", "Review", "Done"]`):
///   distinct, non-empty names, at least one.
/// - `wip_limits` (default none), e.g. `{"In Progress" = 5}`: the most tasks
///   a column may hold; every key must be a configured column.
///
/// If a column is removed from the configuration, its tasks stay stored
/// and can still be updated, moved out or deleted by id; the board no
/// longer shows them.
public final class KanbanPlugin: WorkspacePlugin {
    public static let name = "kanban"
    public static let messageTypes = ["kanban.create", "kanban.update", "kanban.move", "kanban.delete",
                                      "kanban.board"]
    public static let problemCodes: [FieldProblem.Problem] = [.unknownColumn, .wipLimit]

    static let kind = "task"
    static let defaultColumns = ["Backlog", "In Progress", "Review", "Done"]
    static let wipLimits = 0...1_000_000

    static let title = StringRule("title", length: 1...200, required: true)
    /// Free text a client may empty without clearing it, so no lower bound.
    static let description = StringRule("description", length: 0...10_000)
    /// A user id; not checked against users, which plugins do not see.
    static let assignee = StringRule("assignee", length: 1...64)
    static let taskFields: Set<String> = [title.field, description.field, assignee.field]
    /// A column name is checked against the configuration, not by length.
    static let column = StringRule("column", length: 0...Int.max)

    private let columns: [String]
    private let wipLimits: [String: Int]

    public init(options: PluginOptions) throws(PluginConfigError) {
        columns = try options.names("columns", default: Self.defaultColumns, item: "column")

        let limitsKey = "wip_limits"
        var limits: [String: Int] = [:]
        if let raw = options.value(limitsKey) {
            guard case .object(let table) = raw else {
                throw options.error(limitsKey, "must be a table of column names to integers, not \(raw.typeName)")
            }
            for (column, limit) in table {
                guard columns.contains(column) else {
                    throw options.error(limitsKey, "names \"\(column)\", which is not a configured column")
                }
                guard case .int(let number) = limit, Self.wipLimits.contains(number) else {
                    throw options.error(limitsKey, "the limit of \"\(column)\" must be an integer between "
                                        + "\(Self.wipLimits.lowerBound) and \(Self.wipLimits.upperBound)")
                }
                limits[column] = number
            }
        }
        wipLimits = limits
        try options.finish()
    }

    public func handle(_ request: PluginRequest, context: PluginContext) throws -> PluginOutcome {
        switch request.action {
        case "create": return try create(request, context)
        case "update": return try update(request, context)
        case "move": return try move(request, context)
        case "delete": return try delete(request, context)
        case "board": return try board(request, context)
        default: throw PluginError(.internal, "the kanban plugin does not handle \(request.type)")
        }
    }

    /// Every action reads the board's order; `update`, `move` and `delete`
    /// also read the task they name.
    public func reads(for request: PluginRequest) -> [RecordKey] {
        [RecordKey(kind: BoardOrder.kind, id: BoardOrder.id)] + request.recordKeys(namedByID: Self.kind)
    }

    // MARK: Writes

    private func create(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        let fields = RequestFields(request.data, allowed: Self.taskFields.union([Self.column.field, "position"]))
        for rule in [Self.title, Self.description, Self.assignee] { fields.string(rule) }
        let requestedColumn = readColumn(fields) ?? columns[0]
        // Absent, it is the end of the column; any integer is clamped.
        let position = fields.integer("position")
        let order = try BoardOrder.load(from: context.records)
        if !fields.hasProblem(Self.column.field) {
            checkWIPLimit(fields, entering: requestedColumn, order: order)
        }
        try fields.throwIfInvalid()
        try request.requireWriter()

        let id = context.newID()
        let task = context.newRecord(id: id, fields: fields.accepted.filter { Self.taskFields.contains($0.key) },
                                     by: request.user)
        var newOrder = order
        newOrder.insert(id, into: requestedColumn, at: position)
        try context.records.insert(task, kind: Self.kind)
        try newOrder.save(to: context.records)
        return .write(PluginEvent(type: "kanban.created", data: [
            "task": Self.present(task.value, id: id, order: newOrder),
            "order": newOrder.json(of: [requestedColumn]),
        ]))
    }

    private func update(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        let fields = RequestFields(request.data, allowed: ["id", "changes", "version"])
        let requestedID = fields.id()
        let requestedChanges = fields.changes(allowed: Self.taskFields)
        for rule in [Self.title, Self.description, Self.assignee] { requestedChanges?.string(rule) }
        let version = fields.version()
        let (id, changes) = try fields.validated(requestedID, requestedChanges)

        let existing = try context.records.existing(kind: Self.kind, id: id)
        let order = try BoardOrder.load(from: context.records)
        try request.requireWriter()
        try existing.requireVersion(version, current: Self.present(existing.value, id: id, order: order))

        let task = context.revision(of: existing, changes: changes.accepted, by: request.user)
        try context.records.update(task, kind: Self.kind)
        return .write(PluginEvent(type: "kanban.updated", data: ["task": Self.present(task.value, id: id, order: order)]))
    }

    private func move(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        let fields = RequestFields(request.data, allowed: ["id", Self.column.field, "position", "version"])
        let requestedID = fields.id()
        let requestedColumn = readColumn(fields, required: true)
        let requestedPosition = fields.integer("position", required: true)
        let version = fields.version()
        let order = try BoardOrder.load(from: context.records)
        // Only a task coming from another column counts against the limit;
        // reordering inside a column is always allowed. The check needs no
        // task record, so it runs with the other validations: by the
        // precedence order, `validation_failed` outranks `not_found`.
        if let requestedID, let requestedColumn, !order.tasks(in: requestedColumn).contains(requestedID) {
            checkWIPLimit(fields, entering: requestedColumn, order: order)
        }
        let (id, target, position) = try fields.validated(requestedID, requestedColumn, requestedPosition)

        let existing = try context.records.existing(kind: Self.kind, id: id)
        try request.requireWriter()
        try existing.requireVersion(version, current: Self.present(existing.value, id: id, order: order))

        var newOrder = order
        guard let source = newOrder.remove(id) else {
            throw PluginError(.internal, "task \(id) is on no column of the board")
        }
        newOrder.insert(id, into: target, at: position)
        let task = context.revision(of: existing, changes: [:], by: request.user)
        try context.records.update(task, kind: Self.kind)
        try newOrder.save(to: context.records)
        return .write(PluginEvent(type: "kanban.moved", data: [
            "task": Self.present(task.value, id: id, order: newOrder),
            "from": .string(source),
            "to": .string(target),
            "order": newOrder.json(of: [source, target]),
        ]))
    }

    private func delete(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        let fields = RequestFields(request.data, allowed: ["id", "version"])
        let requestedID = fields.id()
        let version = fields.version()
        let id = try fields.validated(requestedID)

        let existing = try context.records.existing(kind: Self.kind, id: id)
        var order = try BoardOrder.load(from: context.records)
        try request.requireWriter()
        try existing.requireVersion(version, current: Self.present(existing.value, id: id, order: order))

        let source = order.remove(id)
        try context.records.delete(kind: Self.kind, id: id)
        try order.save(to: context.records)
        return .write(PluginEvent(type: "kanban.deleted", data: [
            "id": .string(id),
            "order": order.json(of: source.map { [$0] } ?? []),
        ]))
    }

    // MARK: Reads

    private func board(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        try RequestFields(request.data, allowed: []).throwIfInvalid()
        let order = try BoardOrder.load(from: context.records)
        let tasks = Dictionary(try context.records.all(kind: Self.kind).map { ($0.id, $0.value) },
                               uniquingKeysWith: { first, _ in first })
        let columnsJSON: [JSONValue] = columns.map { column in
            let ids = order.tasks(in: column)
            return [
                "name": .string(column),
                "wip_limit": wipLimits[column].map(JSONValue.int) ?? .null,
                "tasks": .array(ids.compactMap { id in tasks[id].map { Self.present($0, id: id, order: order) } }),
            ]
        }
        return .read(result: ["columns": .array(columnsJSON)])
    }

    // MARK: Helpers

    /// The `column` field: a configured column's name, or `nil` when it is
    /// absent or wrong (`unknown_column` for a name not configured).
    private func readColumn(_ fields: RequestFields, required: Bool = false) -> String? {
        fields.string(Self.column.required(required), oneOf: columns, otherwise: .unknownColumn)
    }

    /// Records `wip_limit` on `column` when one more task would bring
    /// `column` over its limit.
    private func checkWIPLimit(_ fields: RequestFields, entering column: String, order: BoardOrder) {
        if let limit = wipLimits[column], order.tasks(in: column).count + 1 > limit {
            fields.record(Self.column.field, .wipLimit)
        }
    }

    /// A task as clients see it: the stored fields plus `column` and
    /// `position`, read from the board order.
    private static func present(_ task: JSONValue, id: String, order: BoardOrder) -> JSONValue {
        var members = task.objectValue ?? [:]
        let place = order.place(of: id)
        members["column"] = JSONValue(place?.column)
        members["position"] = place.map { .int($0.position) } ?? .null
        return .object(members)
    }
}
