/// A stored record: its id, its version and its JSON.
public struct StoredRecord: Equatable, Sendable {
    /// The version of a record that was just created.
    public static let firstVersion = 1

    /// The record's id, unique within its plugin, workspace and kind.
    public let id: String
    /// Starts at ``firstVersion`` and grows by one with each revision.
    public let version: Int
    /// The record as the plugin stores it.
    public let value: JSONValue

    /// A record as it is stored; plugins make new ones through
    /// ``first(id:value:)`` or ``revised(to:)`` so versions follow the rule.
    public init(id: String, version: Int, value: JSONValue) {
        self.id = id
        self.version = version
        self.value = value
    }

    /// A new record at ``firstVersion``.
    public static func first(id: String, value: JSONValue) -> StoredRecord {
        StoredRecord(id: id, version: firstVersion, value: value)
    }

    /// The version this record's next revision gets: the only place a
    /// version is raised.
    public var nextVersion: Int { version + 1 }

    /// This record's next revision, holding `value`, at ``nextVersion``.
    public func revised(to value: JSONValue) -> StoredRecord {
        StoredRecord(id: id, version: nextVersion, value: value)
    }
}
