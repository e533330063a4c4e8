/// The records of one plugin in one workspace, grouped by `kind`
/// (`"contact"`, `"note"`, `"task"`, …).
///
/// Every call runs inside the request's transaction. `index` entries are
/// string keys a plugin looks records up by (`"email"` → lowercased address);
/// they are replaced whole on every insert or update, and a kind that is
/// never looked up that way passes none.
///
/// A record's version is decided by the ``StoredRecord`` handed in (made by
/// `PluginContext.newRecord` or `PluginContext.revision(of:changes:by:)`), so
/// the stored version and the `version` in its JSON cannot disagree.
public protocol RecordStore: AnyObject {
    /// The record of `kind` with `id`, or `nil` when there is none.
    func get(kind: String, id: String) throws -> StoredRecord?

    /// Stores a new record of `kind` with its id, version and value.
    /// Inserting an id that exists is a plugin bug and fails the request.
    func insert(_ record: StoredRecord, kind: String, index: [String: String]) throws

    /// Replaces the stored record with the same id: its value, its version
    /// and its index entries. Updating a missing record is a plugin bug and
    /// fails the request.
    func update(_ record: StoredRecord, kind: String, index: [String: String]) throws

    /// Removes a record and its index entries; removing a missing record does nothing.
    func delete(kind: String, id: String) throws

    /// Records whose index `name` equals `value`, oldest first.
    func find(kind: String, index name: String, value: String) throws -> [StoredRecord]

    /// Every record of `kind`, oldest first.
    func all(kind: String) throws -> [StoredRecord]
}

extension RecordStore {
    /// The record of `kind` with `id`, or `not_found` ("no <kind> with id
    /// <id>") when there is none: step 2 of every change to a record.
    public func existing(kind: String, id: String) throws -> StoredRecord {
        guard let record = try get(kind: kind, id: id) else { throw PluginError.notFound(kind, id: id) }
        return record
    }

    /// Stores a new record of a kind that has no index entries.
    public func insert(_ record: StoredRecord, kind: String) throws {
        try insert(record, kind: kind, index: [:])
    }

    /// Replaces a record of a kind that has no index entries.
    public func update(_ record: StoredRecord, kind: String) throws {
        try update(record, kind: kind, index: [:])
    }
}
