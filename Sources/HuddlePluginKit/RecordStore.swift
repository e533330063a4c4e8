/// A stored record: its id, its version and its JSON.
public struct StoredRecord: Equatable, Sendable {
    public let id: String
    public let version: Int
    public let value: JSONValue

    public init(id: String, version: Int, value: JSONValue) {
        self.id = id
        self.version = version
        self.value = value
    }
}

/// The records of one plugin in one workspace, grouped by `kind`
/// (`"contact"`, `"note"`, `"task"`, …).
///
/// Every call runs inside the request's transaction. `index` entries are
/// string keys a plugin looks records up by (`"email"` → lowercased address);
/// they are replaced whole on every insert or update.
public protocol RecordStore: AnyObject {
    func get(kind: String, id: String) throws -> StoredRecord?

    /// Stores a new record with version 1.
    func insert(kind: String, id: String, value: JSONValue, index: [String: String]) throws

    /// Replaces a record's value and index entries and sets its version.
    func update(kind: String, id: String, value: JSONValue, index: [String: String], version: Int) throws

    /// Removes a record and its index entries; removing a missing record does nothing.
    func delete(kind: String, id: String) throws

    /// Records whose index `name` equals `value`, oldest first.
    func find(kind: String, index name: String, value: String) throws -> [StoredRecord]

    /// Every record of `kind`, oldest first.
    func all(kind: String) throws -> [StoredRecord]
}
