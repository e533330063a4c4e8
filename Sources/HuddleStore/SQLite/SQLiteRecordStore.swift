import HuddlePluginKit

/// The records of one plugin in one workspace, stored in SQLite.
///
/// Used on the store thread only, inside the transaction of the request it
/// was made for. Any SQLite failure other than a constraint violation is
/// remembered in `storageFailure`, so the batch fails as `unavailable` even
/// when a plugin swallows the error.
public final class SQLiteRecordStore: RecordStore {
    public let plugin: String
    public let workspace: String
    private let connection: SQLiteConnection
    private(set) var storageFailure: SQLiteError?

    init(connection: SQLiteConnection, plugin: String, workspace: String) {
        self.connection = connection
        self.plugin = plugin
        self.workspace = workspace
    }

    public func get(kind: String, id: String) throws -> StoredRecord? {
        try guarded {
            let statement = try connection.statement(
                "SELECT id, version, value FROM records WHERE plugin = ? AND workspace = ? AND kind = ? AND id = ?")
            try statement.bind(.text(plugin), .text(workspace), .text(kind), .text(id))
            return try statement.first(Self.record(from:))
        }
    }

    public func insert(_ record: StoredRecord, kind: String, index: [String: String]) throws {
        try guarded {
            let statement = try connection.statement(
                "INSERT INTO records (plugin, workspace, kind, id, version, value) VALUES (?, ?, ?, ?, ?, ?)")
            try statement.bind(.text(plugin), .text(workspace), .text(kind), .text(record.id), .int(record.version),
                               .utf8(record.value.encoded()))
            do {
                try statement.run()
            } catch let failure as SQLiteError where failure.isConstraintViolation {
                throw RecordStoreError.duplicateRecord(kind: kind, id: record.id)
            }
            try writeIndex(kind: kind, id: record.id, index: index)
        }
    }

    public func update(_ record: StoredRecord, kind: String, index: [String: String]) throws {
        try guarded {
            let statement = try connection.statement(
                "UPDATE records SET version = ?, value = ? WHERE plugin = ? AND workspace = ? AND kind = ? AND id = ?")
            try statement.bind(.int(record.version), .utf8(record.value.encoded()), .text(plugin), .text(workspace),
                               .text(kind), .text(record.id))
            try statement.run()
            guard statement.changes == 1 else { throw RecordStoreError.missingRecord(kind: kind, id: record.id) }
            try deleteIndex(kind: kind, id: record.id)
            try writeIndex(kind: kind, id: record.id, index: index)
        }
    }

    public func delete(kind: String, id: String) throws {
        try guarded {
            let statement = try connection.statement(
                "DELETE FROM records WHERE plugin = ? AND workspace = ? AND kind = ? AND id = ?")
            try statement.bind(.text(plugin), .text(workspace), .text(kind), .text(id))
            try statement.run()
            try deleteIndex(kind: kind, id: id)
        }
    }

    public func find(kind: String, index name: String, value: String) throws -> [StoredRecord] {
        try guarded {
            let statement = try connection.statement("""
                SELECT r.id, r.version, r.value FROM record_index i
                JOIN records r ON r.plugin = i.plugin AND r.workspace = i.workspace AND r.kind = i.kind AND r.id = i.id
                WHERE i.plugin = ? AND i.workspace = ? AND i.kind = ? AND i.name = ? AND i.value = ?
                ORDER BY r.created
                """)
            try statement.bind(.text(plugin), .text(workspace), .text(kind), .text(name), .text(value))
            return try statement.all(Self.record(from:))
        }
    }

    public func all(kind: String) throws -> [StoredRecord] {
        try guarded {
            let statement = try connection.statement(
                "SELECT id, version, value FROM records WHERE plugin = ? AND workspace = ? AND kind = ? ORDER BY created")
            try statement.bind(.text(plugin), .text(workspace), .text(kind))
            return try statement.all(Self.record(from:))
        }
    }

    // MARK: Helpers

    private func writeIndex(kind: String, id: String, index: [String: String]) throws {
        let statement = try connection.statement(
            "INSERT OR IGNORE INTO record_index (plugin, workspace, kind, name, value, id) VALUES (?, ?, ?, ?, ?, ?)")
        for (name, value) in index {
            statement.reset()
            try statement.bind(.text(plugin), .text(workspace), .text(kind), .text(name), .text(value), .text(id))
            try statement.run()
        }
    }

    private func deleteIndex(kind: String, id: String) throws {
        let statement = try connection.statement(
            "DELETE FROM record_index WHERE plugin = ? AND workspace = ? AND kind = ? AND id = ?")
        try statement.bind(.text(plugin), .text(workspace), .text(kind), .text(id))
        try statement.run()
    }

    /// Runs `body`, remembering a storage failure so the batch can be failed.
    private func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as SQLiteError where !failure.isConstraintViolation {
            storageFailure = storageFailure ?? failure
            throw failure
        }
    }

    private static func record(from statement: SQLiteStatement) throws -> StoredRecord {
        StoredRecord(id: statement.text(0), version: statement.int(1),
                     value: try statement.withBytes(2) { try JSONParser.parse($0) })
    }
}
