import HuddlePluginKit

/// Sales deals that move through configured stages.
///
/// Options (`[plugins.deals]`): `stages` (default Lead, Qualified, Proposal,
/// Won, Lost), distinct non-empty names; a new deal starts in the first.
public final class DealsPlugin: WorkspacePlugin {
    public static let name = "deals"
    public static let messageTypes = ["deals.create", "deals.move_stage", "deals.get"]
    public static let problemCodes: [FieldProblem.Problem] = [.unknownStage]

    static let kind = "deal"
    static let defaultStages = ["Lead", "Qualified", "Proposal", "Won", "Lost"]
    static let title = StringRule("title", length: 1...200, required: true)
    /// A stage is checked against the configuration, not by length.
    static let stage = StringRule("stage", length: 0...Int.max)

    private let stages: [String]

    public init(options: PluginOptions) throws(PluginConfigError) {
        stages = try options.names("stages", default: Self.defaultStages, item: "stage")
        try options.finish()
    }

    public func handle(_ request: PluginRequest, context: PluginContext) throws -> PluginOutcome {
        switch request.action {
        case "create": return try create(request, context)
        case "move_stage": return try moveStage(request, context)
        case "get": return try get(request, context)
        default: throw PluginError(.internal, "the deals plugin does not handle \(request.type)")
        }
    }

    /// `move_stage` and `get` read the deal they name (`data.id`).
    public func reads(for request: PluginRequest) -> [RecordKey] {
        request.recordKeys(namedByID: Self.kind)
    }

    private func create(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        // 1. Validate everything; unknown fields are reported by the reader.
        let fields = RequestFields(request.data, allowed: [Self.title.field, Self.stage.field])
        fields.string(Self.title)
        let stage = readStage(fields) ?? stages[0]
        try fields.throwIfInvalid()
        // 2. There is no record to find, so the role check comes next.
        try request.requireWriter()
        // 3. Write, and return the event.
        var values = fields.accepted
        values[Self.stage.field] = .string(stage)
        let deal = context.newRecord(id: context.newID(), fields: values, by: request.user)
        try context.records.insert(deal, kind: Self.kind)
        return .write(PluginEvent(type: "deals.created", data: ["deal": deal.value]))
    }

    private func moveStage(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        let fields = RequestFields(request.data, allowed: ["id", Self.stage.field, "version"])
        let requestedID = fields.id()
        let requestedStage = readStage(fields, required: true)
        let version = fields.version()
        let (id, stage) = try fields.validated(requestedID, requestedStage)

        let existing = try context.records.existing(kind: Self.kind, id: id)
        try request.requireWriter()
        try existing.requireVersion(version)

        let deal = context.revision(of: existing, changes: [Self.stage.field: .string(stage)], by: request.user)
        try context.records.update(deal, kind: Self.kind)
        return .write(PluginEvent(type: "deals.stage_moved", data: [
            "deal": deal.value, "from": existing.value[Self.stage.field] ?? .null, "to": .string(stage),
        ]))
    }

    private func get(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        let fields = RequestFields(request.data, allowed: ["id"])
        let id = try fields.validated(fields.id())
        return .read(result: ["deal": try context.records.existing(kind: Self.kind, id: id).value])
    }

    /// The `stage` field: a configured stage, or `nil` when it is absent or
    /// wrong (`unknown_stage` for a name not configured).
    private func readStage(_ fields: RequestFields, required: Bool = false) -> String? {
        fields.string(Self.stage.required(required), oneOf: stages, otherwise: .unknownStage)
    }
}
