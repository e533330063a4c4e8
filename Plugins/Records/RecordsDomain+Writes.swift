import HuddlePluginKit

extension RecordsDomain {
    func create(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        let reader = RequestFields(request.data, allowed: Set(fieldsByName.keys))
        var values: [String: JSONValue] = [:]
        for field in fields {
            let raw = request.data[field.name] ?? field.defaultValue
            if let value = accept(raw, for: field, in: reader) { values[field.name] = value }
        }
        try checkUnique(values, except: nil, reader: reader, context)
        try reader.throwIfInvalid()
        try require(writeRoles, request)
        let record = context.newRecord(id: context.newID(), fields: values, by: request.user)
        try context.records.insert(record, kind: Self.kind, index: indexEntries(of: record.value))
        return .write(PluginEvent(type: "\(name).created", data: ["record": record.value]))
    }

    func update(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        let reader = RequestFields(request.data, allowed: ["id", "changes", "version"])
        let requestedID = reader.id()
        let version = reader.version()
        let changesReader = reader.changes(allowed: Set(fieldsByName.keys))
        var changes: [String: JSONValue] = [:]
        if let changesReader, let sent = request.data["changes"]?.objectValue {
            for (fieldName, raw) in sent {
                guard let field = fieldsByName[fieldName],
                      let value = accept(raw, for: field, in: changesReader) else { continue }
                changes[fieldName] = value
            }
        }
        try checkUnique(changes, except: requestedID, reader: reader, context)
        let id = try reader.validated(requestedID)
        let existing = try context.records.existing(kind: Self.kind, id: id)
        try require(writeRoles, request)
        try existing.requireVersion(version)
        let record = context.revision(of: existing, changes: changes, by: request.user)
        try context.records.update(record, kind: Self.kind, index: indexEntries(of: record.value))
        return .write(PluginEvent(type: "\(name).updated", data: ["record": record.value, "changes": .object(changes)]))
    }

    func delete(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        let reader = RequestFields(request.data, allowed: ["id", "version"])
        let requestedID = reader.id()
        let version = reader.version()
        let id = try reader.validated(requestedID)
        let existing = try context.records.existing(kind: Self.kind, id: id)
        try require(deleteRoles, request)
        try existing.requireVersion(version)
        try context.records.delete(kind: Self.kind, id: id)
        return .write(PluginEvent(type: "\(name).deleted", data: ["id": .string(id)]))
    }

    // MARK: Checks

    /// The value to store for `raw` (absent or `null`), or `nil` after
    /// recording its problem: absent or `null` is `required` for a required
    /// field and `null` for an optional one (in `changes`: clears it).
    private func accept(_ raw: JSONValue?, for field: FieldSpec, in reader: RequestFields) -> JSONValue? {
        guard let raw, !raw.isNull else {
            if field.isRequired {
                reader.record(field.name, .required)
                return nil
            }
            // Records carry every field: an absent optional one is stored as null.
            return .null
        }
        switch field.check(raw) {
        case .valid(let value): return value
        case .invalid(let problem):
            reader.record(field.name, problem)
            return nil
        }
    }

    /// `duplicate` for each unique field whose new value another record
    /// (not `except`) holds, found through the index.
    private func checkUnique(_ values: [String: JSONValue], except id: String?, reader: RequestFields,
                             _ context: PluginContext) throws {
        for field in fields where field.isUnique && !reader.hasProblem(field.name) {
            guard let value = values[field.name], let key = field.indexKey(value) else { continue }
            let holders = try context.records.find(kind: Self.kind, index: field.name, value: key)
            if holders.contains(where: { $0.id != id }) { reader.record(field.name, .duplicate) }
        }
    }

    private func require(_ roles: Set<Role>, _ request: PluginRequest) throws {
        guard roles.contains(request.user.role) else {
            let allowed = Role.allCases.filter(roles.contains).map(\.rawValue).joined(separator: ", ")
            throw PluginError(.forbidden, "only \(allowed) may \(request.action) \(name) records")
        }
    }

    /// One index entry per indexed or unique field that holds a value.
    func indexEntries(of record: JSONValue) -> [String: String] {
        var entries: [String: String] = [:]
        for name in filterable {
            if let field = fieldsByName[name], let value = record[name], let key = field.indexKey(value) {
                entries[name] = key
            }
        }
        return entries
    }
}
