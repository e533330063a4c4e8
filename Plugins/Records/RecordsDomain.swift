import HuddlePluginKit

/// A whole domain from its field list: `[plugins.<name>] kind = "records"`.
///
/// Messages `<name>.create|update|delete|get|list`, events
/// `<name>.created|updated|deleted` carrying the record (docs/protocol.md §7,
/// "records"). Unique and indexed fields are kept as entries of the store's
/// index and looked up through `RecordStore.find`, so a duplicate check or a
/// filtered list never reads the other records.
public final class RecordsDomain {
    /// The table's name: the prefix of its message types.
    public let name: String
    /// Every message type, in the order `welcome` lists them.
    public let messageTypes: [String]
    let fields: [FieldSpec]
    let fieldsByName: [String: FieldSpec]
    /// Fields `list` may filter on: `index` plus every unique field.
    let filterable: Set<String>
    let index: [String]
    let writeRoles: Set<Role>
    let deleteRoles: Set<Role>

    /// Every record of a domain is of this one kind in the store.
    static let kind = "record"
    static let actions = ["create", "update", "delete", "get", "list"]
    static let defaultWriteRoles = [Role.editor.rawValue, Role.admin.rawValue]

    static let fieldsOption = "fields"
    static let indexOption = "index"
    static let writeRolesOption = "write_roles"
    static let deleteRolesOption = "delete_roles"

    /// Builds the domain from its table (without `kind`). `fieldOrder` is
    /// the order the file lists the fields in, which `welcome` keeps; fields
    /// it does not name (set from the environment) follow by name.
    public init(options: PluginOptions, fieldOrder: [String]) throws(RecordsConfigError) {
        var problems: [PluginConfigError] = []
        name = options.pluginName
        messageTypes = Self.actions.map { "\(options.pluginName).\($0)" }
        var parsed: [FieldSpec] = []
        let declared = Set((options.value(Self.fieldsOption)?.objectValue ?? [:]).keys)
        if let raw = options.value(Self.fieldsOption) {
            if let table = raw.objectValue, !table.isEmpty {
                let ordered = fieldOrder.filter { table[$0] != nil } + table.keys.filter { !fieldOrder.contains($0) }.sorted()
                for field in ordered {
                    let key = options.error("\(Self.fieldsOption).\(field)", "").key
                    if let spec = FieldSpec.parse(name: field, raw: table[field]!, key: key, problems: &problems) {
                        parsed.append(spec)
                    }
                }
            } else {
                problems.append(options.error(Self.fieldsOption, "must be a table of at least one field, e.g. fields.title = { type = \"string\" }"))
            }
        } else {
            problems.append(options.error(Self.fieldsOption, "is required: the domain's fields, e.g. fields.title = { type = \"string\" }"))
        }
        fields = parsed
        fieldsByName = Dictionary(uniqueKeysWithValues: parsed.map { ($0.name, $0) })
        index = Self.readIndex(options, declared: declared, fields: fieldsByName, problems: &problems)
        filterable = Set(index).union(parsed.filter(\.isUnique).map(\.name))
        writeRoles = Self.readRoles(options, Self.writeRolesOption, default: Self.defaultWriteRoles, problems: &problems)
        deleteRoles = Self.readRoles(options, Self.deleteRolesOption, default: writeRoles.map(\.rawValue), problems: &problems)
        do {
            try options.finish()
        } catch {
            problems.append(error)
        }
        guard problems.isEmpty else { throw RecordsConfigError(errors: problems) }
    }

    /// What `welcome.plugins` shows besides name, kind and types: every
    /// field with its options as configured, in config order, and `index`.
    public var schema: [String: JSONValue] {
        let described = fields.map { field -> JSONValue in
            var entry = field.options
            entry["name"] = .string(field.name)
            return .object(entry)
        }
        return ["fields": .array(described), "index": .array(index.map(JSONValue.string))]
    }

    /// Validates and performs one request, as a plugin's `handle` does.
    public func handle(_ request: PluginRequest, context: PluginContext) throws -> PluginOutcome {
        switch request.action {
        case "create": return try create(request, context)
        case "update": return try update(request, context)
        case "delete": return try delete(request, context)
        case "get": return try get(request, context)
        case "list": return try list(request, context)
        default: throw PluginError(.internal, "the \(name) domain does not handle \(request.type)")
        }
    }

    /// What `handle` reads by id, as a plugin's `reads(for:)` answers:
    /// `update`, `delete` and `get` read the record they name.
    public func reads(for request: PluginRequest) -> [RecordKey] {
        request.recordKeys(namedByID: Self.kind)
    }

    /// `index`: fields that exist and can be indexed. A field whose own
    /// definition is wrong has its problem already, so it gets no second one here.
    private static func readIndex(_ options: PluginOptions, declared: Set<String>, fields: [String: FieldSpec],
                                  problems: inout [PluginConfigError]) -> [String] {
        do {
            let names = try options.stringArray(indexOption, default: [])
            for name in names {
                if !declared.contains(name) {
                    problems.append(options.error(indexOption, "names no field \(name)"))
                } else if let field = fields[name], !field.type.isIndexable {
                    problems.append(options.error(indexOption, "cannot index \(name), a \(field.type.rawValue) field"))
                }
            }
            if Set(names).count != names.count { problems.append(options.error(indexOption, "must not name a field twice")) }
            return names
        } catch {
            problems.append(error)
            return []
        }
    }

    private static func readRoles(_ options: PluginOptions, _ key: String, default fallback: [String],
                                  problems: inout [PluginConfigError]) -> Set<Role> {
        do {
            let names = try options.stringArray(key, default: fallback, oneOf: Role.allCases.map(\.rawValue))
            return Set(names.compactMap(Role.init(rawValue:)))
        } catch {
            problems.append(error)
            return []
        }
    }
}
