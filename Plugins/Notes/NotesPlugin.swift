import HuddlePluginKit

/// The `notes` domain: short texts hanging on a subject such as
/// `contact:<id>` or `task:<id>` (docs/protocol.md, "notes").
///
/// Options (`[plugins.notes]`): `max_length` (default 10000), the longest
/// body in Unicode scalars.
///
/// Subjects are free-form: a note on `contact:42` does not check that the
/// contact exists, since plugins do not see each other's records.
public final class NotesPlugin: WorkspacePlugin {
    public static let name = "notes"
    public static let messageTypes = ["notes.add", "notes.edit", "notes.delete", "notes.list"]

    static let kind = "note"
    /// Index entry holding the note's subject, for `notes.list`.
    static let subjectIndex = "subject"
    static let defaultMaxLength = 10_000
    static let maxLengths = 1...1_000_000
    static let subject = StringRule("subject", length: 1...128, required: true)

    private let body: StringRule

    public init(options: PluginOptions) throws(PluginConfigError) {
        let maxLength = try options.int("max_length", default: Self.defaultMaxLength, range: Self.maxLengths)
        body = StringRule("body", length: 1...maxLength, required: true)
        try options.finish()
    }

    public func handle(_ request: PluginRequest, context: PluginContext) throws -> PluginOutcome {
        switch request.action {
        case "add": return try add(request, context)
        case "edit": return try edit(request, context)
        case "delete": return try delete(request, context)
        case "list": return try list(request, context)
        default: throw PluginError(.internal, "the notes plugin does not handle \(request.type)")
        }
    }

    /// `edit` and `delete` read the note they name.
    public func reads(for request: PluginRequest) -> [RecordKey] {
        request.recordKeys(namedByID: Self.kind)
    }

    private func add(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        let fields = RequestFields(request.data, allowed: [Self.subject.field, body.field])
        let (subject, _) = try fields.validated(fields.string(Self.subject), fields.string(body))
        try request.requireWriter()

        let id = context.newID()
        let note = context.newRecord(id: id, fields: fields.accepted, by: request.user)
        try context.records.insert(note, kind: Self.kind, index: [Self.subjectIndex: subject])
        return .write(PluginEvent(type: "notes.added", data: ["note": note.value]))
    }

    private func edit(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        let fields = RequestFields(request.data, allowed: ["id", body.field, "version"])
        let requestedID = fields.id()
        let requestedBody = fields.string(body)
        let version = fields.version()
        let (id, _) = try fields.validated(requestedID, requestedBody)

        let existing = try context.records.existing(kind: Self.kind, id: id)
        try requireAuthorOrAdmin(request, existing, action: "edit")
        try existing.requireVersion(version)

        let note = context.revision(of: existing, changes: fields.accepted, by: request.user)
        try context.records.update(note, kind: Self.kind, index: Self.index(of: existing))
        return .write(PluginEvent(type: "notes.edited", data: ["note": note.value]))
    }

    private func delete(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        let fields = RequestFields(request.data, allowed: ["id", "version"])
        let requestedID = fields.id()
        let version = fields.version()
        let id = try fields.validated(requestedID)

        let existing = try context.records.existing(kind: Self.kind, id: id)
        try requireAuthorOrAdmin(request, existing, action: "delete")
        try existing.requireVersion(version)

        try context.records.delete(kind: Self.kind, id: id)
        return .write(PluginEvent(type: "notes.deleted",
                                  data: ["id": .string(id), "subject": existing.value[Self.subject.field] ?? .null]))
    }

    /// Oldest first: the store returns index matches in insertion order.
    private func list(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        let fields = RequestFields(request.data, allowed: [Self.subject.field])
        let subject = try fields.validated(fields.string(Self.subject))
        let notes = try context.records.find(kind: Self.kind, index: Self.subjectIndex, value: subject)
        return .read(result: ["notes": .array(notes.map(\.value))])
    }

    /// A note keeps its subject for life, so its index entry is rewritten as it was.
    private static func index(of note: StoredRecord) -> [String: String] {
        note.value[subject.field]?.stringValue.map { [subjectIndex: $0] } ?? [:]
    }

    /// Viewers may not write at all; editors only their own notes.
    private func requireAuthorOrAdmin(_ request: PluginRequest, _ note: StoredRecord, action: String) throws {
        try request.requireWriter()
        let isAuthor = note.value["created_by"]?.stringValue == request.user.id
        guard isAuthor || request.user.role == .admin else {
            throw PluginError(.forbidden, "only the note's author or an admin may \(action) it")
        }
    }
}
