import Foundation
import HuddlePluginKit

/// Huddle's durable storage: the event log and plugin records in one SQLite
/// file, served by one store thread.
///
/// The store thread owns the connection; callers only queue jobs, so the
/// event loop never waits on SQLite. Every job queued while a batch runs is
/// committed together in the next batch (group commit), and replies go back
/// through `deliver` only after their batch has committed.
public final class Store {
    /// The default wait for a lock held by another process before a batch fails.
    public static let defaultBusyTimeoutMilliseconds = 1000

    /// Made when the database file was created; a new file has a new epoch.
    public let epoch: String
    /// Latest seq per workspace at open (so welcome messages need no query).
    public let initialSeqs: [String: Int]
    public let path: String
    public let historyLimit: Int

    private let deliver: (@escaping () -> Void) -> Void
    private let health: HealthFlag
    private let thread: StoreThread<StoreJob>

    /// Opens the database at `path`, creating its directories, the file and
    /// the schema; call at startup, before the loop runs. Throws a
    /// `StoreOpenError` naming the path.
    ///
    /// - Parameters:
    ///   - historyLimit: durable events kept per workspace (at least 1).
    ///   - deliver: hands a reply closure to the thread that must run it (the
    ///     server's loop wakeup); the store never runs replies itself.
    ///   - log: receives plugin crashes and storage failures.
    public init(path: String, historyLimit: Int, busyTimeoutMilliseconds: Int = Store.defaultBusyTimeoutMilliseconds,
                deliver: @escaping (@escaping () -> Void) -> Void, log: @escaping (String) -> Void = { _ in }) throws {
        precondition(historyLimit >= 1, "historyLimit must be at least 1")
        let database = try StoreDatabase(settings: .init(
            path: path, historyLimit: historyLimit, busyTimeoutMilliseconds: busyTimeoutMilliseconds))
        self.path = path
        self.historyLimit = historyLimit
        self.epoch = database.epoch
        self.initialSeqs = database.latestSeqs
        self.deliver = deliver
        let health = HealthFlag(database.isWritable)
        self.health = health
        thread = StoreThread(name: "huddle-store", process: { jobs in
            Self.process(jobs, database: database, health: health, deliver: deliver, log: log)
        }, finish: database.close)
    }

    deinit { close() }

    /// `false` while storage is failing (for `/healthz` "degraded"); safe from any thread.
    public var isHealthy: Bool { health.value }

    /// Runs `plugin.handle` on the store thread inside the next batch; `reply`
    /// runs through `deliver` after the batch has committed (or failed).
    public func submit(_ request: PluginRequest, plugin: WorkspacePlugin, pluginName: String,
                       reply: @escaping (PluginReply) -> Void) {
        let job = PluginJob(request: request, plugin: plugin, pluginName: pluginName, reply: reply)
        if !thread.enqueue(.plugin(job)) {
            deliver { reply(.failed(PluginError(.unavailable, "storage is closed; nothing was written"))) }
        }
    }

    /// Events of `workspace` with seq > `since`, at most `limit` (nil = all
    /// retained), in order. `gone` when `since` is outside
    /// `[latest - historyLimit, latest]` or `epoch` (if given) is not this
    /// store's. The reply comes through `deliver`, after every write queued
    /// before this call.
    public func events(workspace: String, since: Int, epoch: String?, limit: Int?,
                       reply: @escaping (Result<EventPage, HistoryError>) -> Void) {
        let job = HistoryJob(workspace: workspace, since: since, epoch: epoch, limit: limit, reply: reply)
        if !thread.enqueue(.history(job)) {
            deliver { reply(.failure(.unavailable("storage is closed"))) }
        }
    }

    /// Runs `body` with the records of `plugin` in `workspace`, in one
    /// transaction on the store thread, and waits for it: committed when
    /// `body` returns, rolled back when it throws. For tests and tools;
    /// never call it from the store thread (a plugin) or the event loop.
    public func withRecordStore<T>(plugin: String, workspace: String, _ body: (RecordStore) throws -> T) throws -> T {
        try withoutActuallyEscaping(body) { body in
            var outcome: Result<T, Error> = .failure(StoreClosedError())
            let job = TransactionJob { database in
                outcome = database.transaction { connection in
                    try body(SQLiteRecordStore(connection: connection, plugin: plugin, workspace: workspace))
                }
            }
            if thread.enqueue(.transaction(job)) { job.waitUntilDone() }
            return try outcome.get()
        }
    }

    /// Finishes queued jobs, then stops the thread and closes the database.
    /// Blocks; for tests and tools. Later calls do nothing.
    public func close() {
        thread.stop()
    }

    /// For server shutdown: finishes the batch under way, answers every job
    /// not started yet `unavailable` (nothing of theirs was written, so a
    /// client that retries loses nothing), then closes. Blocks for one batch
    /// at most, which keeps shutdown within its bound however long the queue.
    public func shutDown() {
        let deliver = self.deliver
        thread.stop { abandoned in
            for job in abandoned { job.abandon(deliver: deliver) }
        }
    }

    // MARK: The store thread

    private static func process(_ jobs: [StoreJob], database: StoreDatabase, health: HealthFlag,
                                deliver: (@escaping () -> Void) -> Void, log: @escaping (String) -> Void) {
        var pending: [PluginJob] = []
        func commitPending() {
            guard !pending.isEmpty else { return }
            let batch = pending
            pending = []
            switch database.runBatch(batch, log: log) {
            case .success(let replies):
                health.value = true
                deliver { for (job, reply) in zip(batch, replies) { job.reply(reply) } }
            case .failure(let error):
                health.value = false
                log("storage failed; \(batch.count) request(s) answered unavailable: \(error)")
                let failure = PluginError(.unavailable, "storage is failing; nothing was written, try again")
                deliver { for job in batch { job.reply(.failed(failure)) } }
            }
        }
        for job in jobs {
            switch job {
            case .plugin(let pluginJob):
                pending.append(pluginJob)
            case .history(let history):
                commitPending()
                let page = database.events(workspace: history.workspace, since: history.since, epoch: history.epoch,
                                           limit: history.limit)
                if case .failure(.unavailable(let reason)) = page {
                    health.value = false
                    log("reading history failed: \(reason)")
                }
                deliver { history.reply(page) }
            case .transaction(let job):
                commitPending()
                job.run(database)
            }
        }
        commitPending()
    }
}

/// `withRecordStore` was called after `close`.
public struct StoreClosedError: Error, CustomStringConvertible {
    public var description: String { "the store is closed" }
}
