import Foundation
import HuddlePluginKit

/// The SQLite backend: one file and what the store keeps in memory about it
/// (latest seq per workspace, since this process is its only writer). Lives
/// on the store thread after `open`.
///
/// After a storage failure the connection is dropped; the next job opens it
/// again, so a file whose permissions are fixed, or a disk with space again,
/// heals without a restart.
final class SQLiteDatabase {
    struct Settings {
        let path: String
        let historyLimit: Int
        let busyTimeoutMilliseconds: Int
    }

    let settings: Settings
    let epoch: String
    /// The latest committed seq of every workspace that has events.
    var latestSeqs: [String: Int]
    private(set) var connection: SQLiteConnection?
    let checkpointer: SQLiteCheckpointer

    /// Opens (creating directories, file and schema) at startup.
    init(settings: Settings) throws(StoreOpenError) {
        self.settings = settings
        let directory = (settings.path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw StoreOpenError(path: settings.path, reason: "cannot create directory \(directory): \(error.localizedDescription)")
            }
        }
        let opened = try Self.open(settings, create: true)
        connection = opened.connection
        epoch = opened.epoch
        latestSeqs = opened.latestSeqs
        checkpointer = SQLiteCheckpointer(path: settings.path)
        checkpointer.watch(opened.connection)
    }

    /// The open connection, opening the file again after a failure.
    func usableConnection() throws -> SQLiteConnection {
        // A read-only connection stays read-only: a file made writable again
        // heals only on a new one.
        if let connection, !connection.isReadOnly { return connection }
        dropConnection()
        let opened = try Self.open(settings, create: false)
        guard opened.epoch == epoch else {
            opened.connection.close()
            throw StoreOpenError(path: settings.path, reason: "the file was replaced (epoch \(opened.epoch), expected \(epoch))")
        }
        connection = opened.connection
        latestSeqs = opened.latestSeqs
        checkpointer.watch(opened.connection)
        return opened.connection
    }

    /// Drops the connection after a failure, so the next job starts afresh.
    func dropConnection() {
        connection?.close()
        connection = nil
    }

    func close() {
        dropConnection()
        checkpointer.stop()
    }

    // MARK: Opening

    private static func open(_ settings: Settings, create: Bool)
        throws(StoreOpenError) -> (connection: SQLiteConnection, epoch: String, latestSeqs: [String: Int])
    {
        let connection: SQLiteConnection
        do {
            connection = try SQLiteConnection(path: settings.path, create: create)
        } catch {
            throw StoreOpenError(path: settings.path, reason: error.message)
        }
        do {
            try connection.execute("PRAGMA busy_timeout = \(settings.busyTimeoutMilliseconds)")
            let journal = try connection.statement("PRAGMA journal_mode = WAL").first { $0.text(0) }
            guard journal == "wal" else {
                throw StoreOpenError(path: settings.path, reason: "cannot switch the journal to WAL mode")
            }
            // FULL: WAL commits are fsynced, so an acknowledged write survives
            // power loss as well as kill -9; group commit pays one fsync per batch.
            try connection.execute("PRAGMA synchronous = FULL")
            try migrate(connection, path: settings.path)
            let epoch = try readEpoch(connection, path: settings.path)
            return (connection, epoch, try readLatestSeqs(connection))
        } catch let failure as StoreOpenError {
            connection.close()
            throw failure
        } catch {
            connection.close()
            throw StoreOpenError(path: settings.path, reason: "\(error)")
        }
    }

    private static func migrate(_ connection: SQLiteConnection, path: String) throws {
        let version = try userVersion(connection)
        guard version <= SQLiteSchema.currentVersion else {
            throw StoreOpenError(path: path, reason: "schema version \(version) is newer than this build knows "
                + "(\(SQLiteSchema.currentVersion)); use a newer huddle or another file")
        }
        guard version < SQLiteSchema.currentVersion else { return }
        try connection.execute("BEGIN IMMEDIATE")
        do {
            for migration in SQLiteSchema.migrations[version...] { try connection.execute(migration) }
            if version == 0 {
                try connection.statement("INSERT INTO meta (key, value) VALUES ('epoch', ?)")
                    .bind(.text(Identifiers.newEpoch())).run()
            }
            try connection.execute("PRAGMA user_version = \(SQLiteSchema.currentVersion)")
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    static func userVersion(_ connection: SQLiteConnection) throws -> Int {
        try connection.statement("PRAGMA user_version").first { $0.int(0) } ?? 0
    }

    private static func readEpoch(_ connection: SQLiteConnection, path: String) throws -> String {
        guard let epoch = try connection.statement("SELECT value FROM meta WHERE key = 'epoch'").first({ $0.text(0) }) else {
            throw StoreOpenError(path: path, reason: "the meta table has no epoch")
        }
        return epoch
    }

    private static func readLatestSeqs(_ connection: SQLiteConnection) throws -> [String: Int] {
        let rows = try connection.statement("SELECT workspace, MAX(seq) FROM events GROUP BY workspace")
            .all { ($0.text(0), $0.int(1)) }
        return Dictionary(rows, uniquingKeysWith: max)
    }
}

extension SQLiteDatabase: StorageBackend {
    func connect() throws -> StorageSnapshot {
        _ = try usableConnection()
        return StorageSnapshot(epoch: epoch, latestSeqs: latestSeqs)
    }

    var isConnected: Bool { connection != nil }

    func canWrite() -> Bool {
        guard let connection = try? usableConnection(), !connection.isReadOnly else { return false }
        guard (try? connection.run("BEGIN IMMEDIATE")) != nil else { return false }
        try? connection.run("ROLLBACK")
        return true
    }

    func transaction<T>(plugin: String, workspace: String, _ body: (RecordStore) throws -> T) -> Result<T, Error> {
        do {
            let connection = try usableConnection()
            try connection.execute("BEGIN IMMEDIATE")
            do {
                let value = try body(SQLiteRecordStore(connection: connection, plugin: plugin, workspace: workspace))
                try connection.execute("COMMIT")
                return .success(value)
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        } catch {
            if let failure = error as? SQLiteError, !failure.isConstraintViolation { dropConnection() }
            return .failure(error)
        }
    }
}
