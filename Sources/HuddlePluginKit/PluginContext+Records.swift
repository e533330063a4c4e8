extension PluginContext {
    /// A new record's JSON: `fields` plus `id`, `version` 1, and
    /// `created_at`/`updated_at`/`created_by`/`updated_by` stamped with this
    /// request's time and `user`. Store it with `records.insert`.
    public func newRecord(id: String, fields: [String: JSONValue], by user: PluginUser) -> JSONValue {
        var members = fields
        members["id"] = .string(id)
        members["version"] = .int(1)
        members["created_at"] = .string(timestamp)
        members["updated_at"] = .string(timestamp)
        members["created_by"] = .string(user.id)
        members["updated_by"] = .string(user.id)
        return .object(members)
    }

    /// `record`'s JSON with `changes` merged in (a `null` clears a field),
    /// its version raised by one and `updated_at`/`updated_by` restamped.
    /// Store it with `records.update(…, version: record.version + 1)`.
    public func revision(of record: StoredRecord, changes: [String: JSONValue], by user: PluginUser) -> JSONValue {
        var members = record.value.objectValue ?? [:]
        members.merge(changes) { _, new in new }
        members["version"] = .int(record.version + 1)
        members["updated_at"] = .string(timestamp)
        members["updated_by"] = .string(user.id)
        return .object(members)
    }
}
