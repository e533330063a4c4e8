import HuddlePluginKit

/// What a database says about itself once connected: the epoch of its event
/// history and the latest seq of every workspace that has events.
public struct StorageSnapshot: Sendable, Equatable {
    public let epoch: String
    public let latestSeqs: [String: Int]
}

/// A database the store thread drives: SQLite or PostgreSQL, with the same
/// promises (PROTOCOL.md §6). Used on the store thread only.
///
/// A backend that fails drops its connection; the next call connects again,
/// so storage heals without a restart.
protocol StorageBackend: AnyObject {
    /// Connects unless connected; what the database says about itself.
    func connect() throws -> StorageSnapshot
    var isConnected: Bool { get }
    /// Whether a write could start now (a read-only or locked SQLite file,
    /// or a PostgreSQL server gone away, says no); connects first if needed.
    func canWrite() -> Bool
    /// Runs `jobs` in one transaction, each in its own savepoint, and commits
    /// once; one reply per job, in order. A storage failure fails them all.
    func runBatch(_ jobs: [PluginJob], log: (String) -> Void) -> Result<[PluginReply], Error>
    /// Events of `workspace` with seq > `since`, at most `limit` (nil: all retained).
    func events(workspace: String, since: Int, epoch: String?, limit: Int?) -> Result<EventPage, HistoryError>
    /// Runs `body` with the records of `plugin` in `workspace` in one
    /// transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(plugin: String, workspace: String, _ body: (RecordStore) throws -> T) -> Result<T, Error>
    func close()
}
