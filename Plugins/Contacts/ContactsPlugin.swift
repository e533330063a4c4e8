import HuddlePluginKit

/// The `contacts` domain: an address book per workspace (docs/protocol.md, "contacts").
///
/// Options (`[plugins.contacts]`):
/// - `required_fields` (default `["name"]`): `name` is always required; the
///   list may add `email`, `phone`, `company`.
/// - `unique_email` (default `true`): no two contacts share an address,
///   compared case-insensitively through the `email` index.
public final class ContactsPlugin: WorkspacePlugin {
    public static let name = "contacts"
    public static let messageTypes = ["contacts.create", "contacts.update", "contacts.delete",
                                      "contacts.get", "contacts.list"]

    static let kind = "contact"
    /// Index entry holding the lowercased address, for the uniqueness check.
    static let emailIndex = "email"
    static let defaultPageSize = 100
    static let pageSizes = 1...500

    /// `name`, `email`, `phone`, `company`, each required or not as configured.
    private let stringRules: [StringRule]
    private let uniqueEmail: Bool

    public init(options: PluginOptions) throws(PluginConfigError) {
        let required = try options.stringArray("required_fields", default: [ContactFields.name.field],
                                               oneOf: ([ContactFields.name] + ContactFields.optionalStrings).map(\.field))
        stringRules = [ContactFields.name] + ContactFields.optionalStrings.map { $0.required(required.contains($0.field)) }
        uniqueEmail = try options.bool("unique_email", default: true)
        try options.finish()
    }

    public func handle(_ request: PluginRequest, context: PluginContext) throws -> PluginOutcome {
        switch request.action {
        case "create": return try create(request, context)
        case "update": return try update(request, context)
        case "delete": return try delete(request, context)
        case "get": return try get(request, context)
        case "list": return try list(request, context)
        default: throw PluginError(.internal, "the contacts plugin does not handle \(request.type)")
        }
    }

    /// `update`, `delete` and `get` read the contact they name.
    public func reads(for request: PluginRequest) -> [RecordKey] {
        request.recordKeys(namedByID: Self.kind)
    }

    // MARK: Writes

    private func create(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        let fields = RequestFields(request.data, allowed: ContactFields.all)
        readContactFields(fields)
        try checkUniqueEmail(fields, of: nil, records: context.records)
        try fields.throwIfInvalid()
        try request.requireWriter()

        let id = context.newID()
        let contact = context.newRecord(id: id, fields: fields.accepted, by: request.user)
        try context.records.insert(contact, kind: Self.kind, index: Self.index(of: contact.value))
        return .write(PluginEvent(type: "contacts.created", data: ["contact": contact.value]))
    }

    private func update(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        let fields = RequestFields(request.data, allowed: ["id", "changes", "version"])
        let requestedID = fields.id()
        let requestedChanges = fields.changes(allowed: ContactFields.all)
        if let requestedChanges { readContactFields(requestedChanges) }
        let version = fields.version()
        if let requestedChanges {
            try checkUniqueEmail(requestedChanges, of: requestedID, records: context.records)
        }
        let (id, changes) = try fields.validated(requestedID, requestedChanges)

        let existing = try context.records.existing(kind: Self.kind, id: id)
        try request.requireWriter()
        try existing.requireVersion(version)

        let contact = context.revision(of: existing, changes: changes.accepted, by: request.user)
        try context.records.update(contact, kind: Self.kind, index: Self.index(of: contact.value))
        return .write(PluginEvent(type: "contacts.updated",
                                  data: ["contact": contact.value, "changes": .object(changes.accepted)]))
    }

    private func delete(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        let fields = RequestFields(request.data, allowed: ["id", "version"])
        let requestedID = fields.id()
        let version = fields.version()
        let id = try fields.validated(requestedID)

        let existing = try context.records.existing(kind: Self.kind, id: id)
        try request.requireWriter()
        try existing.requireVersion(version)

        try context.records.delete(kind: Self.kind, id: id)
        return .write(PluginEvent(type: "contacts.deleted", data: ["id": .string(id)]))
    }

    // MARK: Reads

    private func get(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        let fields = RequestFields(request.data, allowed: ["id"])
        let id = try fields.validated(fields.id())
        return .read(result: ["contact": try context.records.existing(kind: Self.kind, id: id).value])
    }

    /// Filters and sorts in memory: a workspace's address book is small
    /// enough, and it keeps `RecordStore` free of query features.
    private func list(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        let fields = RequestFields(request.data, allowed: ["query", "limit", "after"])
        let query = fields.string(StringRule("query", length: 0...Int.max))?.lowercased()
        let limit = fields.integer("limit", in: Self.pageSizes) ?? Self.defaultPageSize
        let after = fields.string(StringRule("after", length: 0...Int.max))
        let start = after.flatMap(ListCursor.init(token:))
        if after != nil && start == nil { fields.record("after", .invalidFormat) }
        try fields.throwIfInvalid()

        let matching = try context.records.all(kind: Self.kind)
            .map { (cursor: Self.cursor(of: $0), contact: $0.value) }
            .filter { entry in start.map { entry.cursor > $0 } ?? true }
            .filter { entry in query.map { Self.contact(entry.contact, matches: $0) } ?? true }
            .sorted { $0.cursor < $1.cursor }
        let page = matching.prefix(limit)
        let next: JSONValue = matching.count > limit ? page.last.map { .string($0.cursor.token) } ?? .null : .null
        return .read(result: ["contacts": .array(page.map(\.contact)), "next": next])
    }

    // MARK: Helpers

    private func readContactFields(_ fields: RequestFields) {
        for rule in stringRules { fields.string(rule) }
        fields.stringList(ContactFields.tags)
    }

    /// Records `duplicate` on `email` when another contact has the address.
    /// Runs with the other validations, before the contact itself is looked
    /// up, because `validation_failed` outranks `not_found`.
    private func checkUniqueEmail(_ fields: RequestFields, of id: String?, records: RecordStore) throws {
        guard uniqueEmail, let email = fields.accepted[ContactFields.email.field]?.stringValue else { return }
        let holders = try records.find(kind: Self.kind, index: Self.emailIndex, value: email.lowercased())
        if holders.contains(where: { $0.id != id }) {
            fields.record(ContactFields.email.field, .duplicate)
        }
    }

    private static func index(of contact: JSONValue) -> [String: String] {
        guard let email = contact[ContactFields.email.field]?.stringValue else { return [:] }
        return [emailIndex: email.lowercased()]
    }

    private static func cursor(of record: StoredRecord) -> ListCursor {
        ListCursor(sortKey: (record.value[ContactFields.name.field]?.stringValue ?? "").lowercased(), id: record.id)
    }

    private static let searchedFields = [ContactFields.name, ContactFields.email, ContactFields.company].map(\.field)

    private static func contact(_ contact: JSONValue, matches query: String) -> Bool {
        query.isEmpty || searchedFields.contains { field in
            contact[field]?.stringValue?.lowercased().contains(query) ?? false
        }
    }
}
