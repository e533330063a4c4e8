import CSQLite
import Foundation

/// Copies the write-ahead log back into the database file on a thread and
/// connection of its own, so that the store thread's commits do not wait for it.
///
/// SQLite's automatic checkpoint runs inside the commit that takes the WAL
/// past 1000 pages: it writes up to 4 MB into the database file and fsyncs it
/// in the middle of a batch, which under S4's load (5,000 writes/s) happened
/// about three times a second and held the requests of the next batches
/// behind it. Here a PASSIVE checkpoint on another connection does that bulk
/// while the writer goes on committing. It cannot finish the job alone: under
/// steady writes the WAL always has frames newer than the pass, and SQLite
/// starts the WAL over only once every frame is back in the database, so after
/// each pass the writer checkpoints the few frames left itself, cheaply
/// because the bulk is already written and synced. Durability is unchanged:
/// a commit is durable once its WAL frames are synced.
final class SQLiteCheckpointer {
    /// WAL pages after which a checkpoint starts (SQLite's own default).
    static let walPagesThreshold: Int32 = 1000
    /// WAL pages after which the writer checkpoints itself: the safety net
    /// for a checkpointer that cannot keep up or cannot open the file.
    static let writerCheckpointPages: Int32 = 20 * walPagesThreshold

    private let path: String
    private let condition = NSCondition()
    private var isDue = false
    /// A pass ended: the writer's next commit checkpoints what is left.
    private var isPassDone = false
    private var isStopping = false
    private var passesThatCopied = 0
    private let finished = DispatchSemaphore(value: 0)

    init(path: String) {
        self.path = path
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "huddle-checkpoint"
        thread.start()
    }

    /// Makes `connection`'s commits report the WAL's size here instead of
    /// checkpointing themselves (this replaces SQLite's automatic checkpoint).
    func watch(_ connection: SQLiteConnection) {
        connection.onWALCommit(context: Unmanaged.passUnretained(self).toOpaque()) { context, database, _, pages in
            guard let context else { return SQLITE_OK }
            let checkpointer = Unmanaged<SQLiteCheckpointer>.fromOpaque(context).takeUnretainedValue()
            if checkpointer.takeWriterTurn(pages: pages) {
                sqlite3_wal_checkpoint_v2(database, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            }
            return SQLITE_OK
        }
    }

    /// Background passes that copied pages into the database file.
    var passesThatCopiedPages: Int {
        condition.lock()
        defer { condition.unlock() }
        return passesThatCopied
    }

    /// Finishes the checkpoint under way, if any, and ends the thread.
    func stop() {
        condition.lock()
        let wasStopping = isStopping
        isStopping = true
        condition.signal()
        condition.unlock()
        if !wasStopping { finished.wait() }
    }

    /// After a commit that left `pages` in the WAL: whether the writer
    /// checkpoints now (a pass just ended, or the WAL is far too long);
    /// otherwise a pass is requested once the WAL is long enough.
    private func takeWriterTurn(pages: Int32) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if isPassDone || pages >= Self.writerCheckpointPages {
            isPassDone = false
            return true
        }
        if pages >= Self.walPagesThreshold && !isDue {
            isDue = true
            condition.signal()
        }
        return false
    }

    private func run() {
        var connection: SQLiteConnection?
        while true {
            condition.lock()
            while !isDue && !isStopping { condition.wait() }
            let stopping = isStopping
            condition.unlock()
            if stopping { break }
            do {
                let open = try connection ?? Self.openConnection(path: path)
                connection = open
                let copied = try open.checkpoint() > 0
                condition.lock()
                if copied { passesThatCopied += 1 }
                isPassDone = true
                isDue = false
                condition.unlock()
            } catch {
                condition.lock()
                isDue = false
                condition.unlock()
                // The writer's safety net checkpoints meanwhile; the next
                // request opens the file again.
                connection = nil
            }
        }
        connection?.close()
    }

    /// A connection that has read the file, so that it knows the database is
    /// in WAL mode: before that, a checkpoint does nothing.
    private static func openConnection(path: String) throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: path, create: false)
        _ = try connection.statement("PRAGMA journal_mode").first { $0.text(0) }
        return connection
    }
}
