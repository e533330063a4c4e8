import HuddlePluginKit

/// The PostgreSQL backend: a database several Huddle processes may share.
///
/// Nothing is cached across batches that another writer could change: the
/// latest seq of a workspace lives in its counter row (`workspace_seqs`),
/// which every batch that appends events updates in its own transaction.
/// After a failure the connection is dropped; the next call connects again.
final class PostgresDatabase {
    private let url: String
    /// The URL without its password, for errors.
    let name: String
    let historyLimit: Int
    /// The epoch the database had when first reached; a later connect to a
    /// database with another epoch (dropped and recreated) is refused.
    private(set) var epoch: String?
    private(set) var connection: PGConnection?

    init(url: String, name: String, historyLimit: Int) {
        self.url = url
        self.name = name
        self.historyLimit = historyLimit
    }

    func usableConnection() throws -> PGConnection {
        if let connection { return connection }
        _ = try connect()
        return connection!
    }

    func dropConnection() {
        connection?.close()
        connection = nil
    }
}

extension PostgresDatabase: StorageBackend {
    func connect() throws -> StorageSnapshot {
        dropConnection()
        var reachedEpoch = ""
        let opened = try PGConnection(conninfo: url) { connection in
            reachedEpoch = try PostgresSchema.migrate(connection, name: name)
        }
        if let epoch, epoch != reachedEpoch {
            opened.close()
            throw StoreOpenError(path: name, reason: "the database was replaced (epoch \(reachedEpoch), expected \(epoch))")
        }
        let seqs = try opened.query("SELECT workspace, seq FROM workspace_seqs") { rows in
            Dictionary(uniqueKeysWithValues: rows.map { (rows.text($0, 0), rows.int($0, 1)) })
        }
        epoch = reachedEpoch
        connection = opened
        return StorageSnapshot(epoch: reachedEpoch, latestSeqs: seqs)
    }

    var isConnected: Bool { connection != nil }

    func canWrite() -> Bool {
        do {
            return try usableConnection().query("SELECT 1") { $0.count == 1 }
        } catch {
            dropConnection()
            return false
        }
    }

    func transaction<T>(plugin: String, workspace: String, _ body: (RecordStore) throws -> T) -> Result<T, Error> {
        do {
            let connection = try usableConnection()
            _ = connection.takeMismatches()
            try connection.enqueue("BEGIN")
            do {
                try lockWorkspaces([workspace], on: connection)
                let records = PGRecordStore(connection: connection, plugin: plugin, workspace: workspace, request: nil, cache: nil)
                let value = try body(records)
                try records.checkWrites()
                try connection.enqueue("COMMIT", expecting: .commandTag("COMMIT"))
                try connection.sync()
                return .success(value)
            } catch let failure as PGError {
                throw failure
            } catch {
                try connection.enqueue("ROLLBACK")
                try connection.sync()
                throw error
            }
        } catch {
            if error is PGError { dropConnection() }
            return .failure(error)
        }
    }

    func close() { dropConnection() }
}
