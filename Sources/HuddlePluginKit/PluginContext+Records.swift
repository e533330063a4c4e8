extension PluginContext {
    /// A new record: `fields` plus `id`, `version` (``StoredRecord/firstVersion``),
    /// and `created_at`/`updated_at`/`created_by`/`updated_by` stamped with this
    /// request's time and `user`. Store it with `records.insert`; its `value`
    /// is what events and results carry.
    public func newRecord(id: String, fields: [String: JSONValue], by user: PluginUser) -> StoredRecord {
        var members = fields
        members["id"] = .string(id)
        members["version"] = .int(StoredRecord.firstVersion)
        members["created_at"] = .string(timestamp)
        members["updated_at"] = .string(timestamp)
        members["created_by"] = .string(user.id)
        members["updated_by"] = .string(user.id)
        return .first(id: id, value: .object(members))
    }

    /// `record`'s next revision: `changes` merged in (a `null` clears a
    /// field), `version` raised to ``StoredRecord/nextVersion`` and
    /// `updated_at`/`updated_by` restamped. Store it with `records.update`.
    public func revision(of record: StoredRecord, changes: [String: JSONValue], by user: PluginUser) -> StoredRecord {
        var members = record.value.objectValue ?? [:]
        members.merge(changes) { _, new in new }
        members["version"] = .int(record.nextVersion)
        members["updated_at"] = .string(timestamp)
        members["updated_by"] = .string(user.id)
        return record.revised(to: .object(members))
    }
}
