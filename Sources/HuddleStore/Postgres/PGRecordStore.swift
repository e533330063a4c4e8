import HuddlePluginKit

/// The records of one plugin in one workspace, stored in PostgreSQL.
///
/// Used on the store thread only, inside the transaction of the request it
/// was made for. Writes are queued on the pipeline and leave with the next
/// read, so a write costs no round trip of its own; a duplicate id or a
/// missing record is found then, as a `PGWriteMismatch` the batch deals with
/// (in a batch), or thrown by `checkWrites()` (outside one). The first write
/// of a request opens its savepoint, so a request that only reads costs
/// none. Any PostgreSQL failure is remembered in `storageFailure`, so the
/// batch fails as `unavailable` even when a plugin swallows the error.
final class PGRecordStore: RecordStore {
    let plugin: String
    let workspace: String
    private let connection: PGConnection
    /// The request's number in its batch; `nil` outside a batch (no savepoint then).
    private let request: Int?
    /// The batch's records, shared by its requests; `nil` outside a batch.
    private let cache: BatchRecordCache?
    private(set) var savepointOpen = false
    private(set) var storageFailure: PGError?

    init(connection: PGConnection, plugin: String, workspace: String, request: Int?, cache: BatchRecordCache?) {
        self.connection = connection
        self.plugin = plugin
        self.workspace = workspace
        self.request = request
        self.cache = cache
    }

    func get(kind: String, id: String) throws -> StoredRecord? {
        let key = BatchRecordCache.Key(plugin: plugin, workspace: workspace, kind: kind, id: id)
        if let known = cache?.lookup(key) { return known }
        let record = try guarded { try connection.query(Self.selectByKey, Self.parameters(of: key), Self.record(in:)) }
        cache?.remember(key, record)
        return record
    }

    /// One record by key, for `get` and a batch's prefetch.
    static let selectByKey =
        "SELECT id, version, value FROM records WHERE plugin = $1 AND workspace = $2 AND kind = $3 AND id = $4"

    static func parameters(of key: BatchRecordCache.Key) -> [PGValue] {
        [.text(key.plugin), .text(key.workspace), .text(key.kind), .text(key.id)]
    }

    /// The record `selectByKey` found, or nil.
    static func record(in rows: PGRows) throws -> StoredRecord? {
        try rows.count == 0 ? nil : record(rows, 0)
    }

    func insert(_ record: StoredRecord, kind: String, index: [String: String]) throws {
        try guarded {
            try openSavepoint()
            try connection.enqueue("""
                INSERT INTO records (plugin, workspace, kind, id, version, value) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT DO NOTHING
                """, [.text(plugin), .text(workspace), .text(kind), .text(record.id), .int(record.version),
                      .utf8(record.value.encoded())],
                expecting: .rowsAffected(1, mismatch: mismatch(.duplicateRecord(kind: kind, id: record.id))))
            try writeIndex(kind: kind, id: record.id, index: index)
            cache?.wrote(.init(plugin: plugin, workspace: workspace, kind: kind, id: record.id), record)
        }
    }

    func update(_ record: StoredRecord, kind: String, index: [String: String]) throws {
        try guarded {
            try openSavepoint()
            try connection.enqueue(
                "UPDATE records SET version = $1, value = $2 WHERE plugin = $3 AND workspace = $4 AND kind = $5 AND id = $6",
                [.int(record.version), .utf8(record.value.encoded()), .text(plugin), .text(workspace), .text(kind),
                 .text(record.id)],
                expecting: .rowsAffected(1, mismatch: mismatch(.missingRecord(kind: kind, id: record.id))))
            try deleteIndex(kind: kind, id: record.id)
            try writeIndex(kind: kind, id: record.id, index: index)
            cache?.wrote(.init(plugin: plugin, workspace: workspace, kind: kind, id: record.id), record)
        }
    }

    func delete(kind: String, id: String) throws {
        try guarded {
            try openSavepoint()
            try connection.enqueue("DELETE FROM records WHERE plugin = $1 AND workspace = $2 AND kind = $3 AND id = $4",
                                   [.text(plugin), .text(workspace), .text(kind), .text(id)])
            try deleteIndex(kind: kind, id: id)
            cache?.wrote(.init(plugin: plugin, workspace: workspace, kind: kind, id: id), nil)
        }
    }

    func find(kind: String, index name: String, value: String) throws -> [StoredRecord] {
        try guarded {
            try connection.query("""
                SELECT r.id, r.version, r.value FROM record_index i
                JOIN records r ON r.plugin = i.plugin AND r.workspace = i.workspace AND r.kind = i.kind AND r.id = i.id
                WHERE i.plugin = $1 AND i.workspace = $2 AND i.kind = $3 AND i.name = $4 AND i.value = $5
                ORDER BY r.created
                """, [.text(plugin), .text(workspace), .text(kind), .text(name), .text(value)]
            ) { rows in try rows.map { try Self.record(rows, $0) } }
        }
    }

    func all(kind: String) throws -> [StoredRecord] {
        try guarded {
            try connection.query(
                "SELECT id, version, value FROM records WHERE plugin = $1 AND workspace = $2 AND kind = $3 ORDER BY created",
                [.text(plugin), .text(workspace), .text(kind)]
            ) { rows in try rows.map { try Self.record(rows, $0) } }
        }
    }

    // MARK: The request's end

    /// Outside a batch: checks the queued writes, throwing a plugin's mistake
    /// (`RecordStoreError`) or a storage failure.
    func checkWrites() throws {
        if connection.hasPending { try guarded { try connection.sync() } }
        if let first = connection.takeMismatches().first { throw first.error }
    }

    /// Keeps the request's writes (queued; checked with the next sync).
    func release() throws {
        cache?.release()
        guard savepointOpen else { return }
        try connection.enqueue("RELEASE SAVEPOINT request")
        savepointOpen = false
    }

    /// Undoes the request's writes (queued; checked with the next sync).
    func rollBack() throws {
        cache?.rollBack()
        guard savepointOpen else { return }
        try connection.enqueue("ROLLBACK TO SAVEPOINT request")
        try connection.enqueue("RELEASE SAVEPOINT request")
        savepointOpen = false
    }

    // MARK: Helpers

    private func mismatch(_ error: RecordStoreError) -> PGWriteMismatch {
        PGWriteMismatch(request: request, error: error)
    }

    private func openSavepoint() throws {
        guard request != nil, !savepointOpen else { return }
        try connection.enqueue("SAVEPOINT request")
        savepointOpen = true
    }

    private func writeIndex(kind: String, id: String, index: [String: String]) throws {
        for (name, value) in index {
            try connection.enqueue("""
                INSERT INTO record_index (plugin, workspace, kind, name, value, id) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT DO NOTHING
                """, [.text(plugin), .text(workspace), .text(kind), .text(name), .text(value), .text(id)])
        }
    }

    private func deleteIndex(kind: String, id: String) throws {
        try connection.enqueue("DELETE FROM record_index WHERE plugin = $1 AND workspace = $2 AND kind = $3 AND id = $4",
                               [.text(plugin), .text(workspace), .text(kind), .text(id)])
    }

    /// Runs `body`, remembering a storage failure so the batch can be failed.
    private func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as PGError {
            storageFailure = storageFailure ?? failure
            throw failure
        }
    }

    private static func record(_ rows: PGRows, _ row: Int) throws -> StoredRecord {
        let value = try rows.withBytes(row, 2) { try JSONParser.parse($0) }
        return StoredRecord(id: rows.text(row, 0), version: rows.int(row, 1), value: value)
    }
}
