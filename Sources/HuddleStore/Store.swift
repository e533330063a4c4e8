import Foundation
import HuddlePluginKit

/// Huddle's durable storage: the event log and plugin records in a SQLite
/// file or a PostgreSQL database, served by one store thread.
///
/// The store thread owns the connection; callers only queue jobs, so the
/// event loop never waits on the database. Every job queued while a batch
/// runs is committed together in the next batch (group commit), and replies
/// go back through `deliver` only after their batch has committed.
public final class Store {
    /// The default wait for a lock held by another process before a batch fails.
    public static let defaultBusyTimeoutMilliseconds = 1000
    /// The first and the longest wait between two attempts to reach a database that is down.
    static let reconnectDelays = (first: 0.25, longest: 5.0)

    public let location: StorageLocation
    public let historyLimit: Int

    private let deliver: (@escaping () -> Void) -> Void
    private let health: Locked<Bool>
    private let connected: Locked<StorageSnapshot?>
    private let thread: StoreThread<StoreJob>

    /// Opens the store. A SQLite file is opened at once (directories, file and
    /// schema are created), and any problem throws a `StoreOpenError` naming
    /// the path. A PostgreSQL database that cannot be reached is not an error:
    /// the store says so through `log`, stays unhealthy, answers requests
    /// `unavailable`, and connects in the background with backoff.
    ///
    /// - Parameters:
    ///   - historyLimit: durable events kept per workspace (at least 1).
    ///   - deliver: hands a reply closure to the thread that must run it (the
    ///     server's loop wakeup); the store never runs replies itself.
    ///   - log: receives plugin crashes and storage failures.
    ///   - connected: runs through `deliver` each time the database is
    ///     (re)connected, with what it says about itself.
    public init(location: StorageLocation, historyLimit: Int,
                busyTimeoutMilliseconds: Int = Store.defaultBusyTimeoutMilliseconds,
                deliver: @escaping (@escaping () -> Void) -> Void, log: @escaping (String) -> Void = { _ in },
                connected: @escaping (StorageSnapshot) -> Void = { _ in }) throws {
        precondition(historyLimit >= 1, "historyLimit must be at least 1")
        let backend: StorageBackend
        switch location {
        case .sqlite(let path):
            backend = try SQLiteDatabase(settings: .init(
                path: path, historyLimit: historyLimit, busyTimeoutMilliseconds: busyTimeoutMilliseconds))
        case .postgres(let url, let redacted):
            backend = PostgresDatabase(url: url, name: redacted, historyLimit: historyLimit)
        }
        self.location = location
        self.historyLimit = historyLimit
        self.deliver = deliver
        let link = BackendLink(backend: backend, name: location.displayName, deliver: deliver, log: log, connected: connected)
        link.checkHealth()
        health = link.health
        self.connected = link.snapshot
        thread = StoreThread(name: "huddle-store", process: { jobs in
            Self.process(jobs, link: link, deliver: deliver, log: log)
        }, idle: link.recheckWhileFailing, finish: backend.close)
    }

    /// A store on a SQLite file (see ``init(location:historyLimit:busyTimeoutMilliseconds:deliver:log:connected:)``).
    public convenience init(path: String, historyLimit: Int, busyTimeoutMilliseconds: Int = Store.defaultBusyTimeoutMilliseconds,
                            deliver: @escaping (@escaping () -> Void) -> Void, log: @escaping (String) -> Void = { _ in }) throws {
        try self.init(location: .sqlite(path: path), historyLimit: historyLimit,
                      busyTimeoutMilliseconds: busyTimeoutMilliseconds, deliver: deliver, log: log)
    }

    deinit { close() }

    /// The epoch of the event history, `nil` until the database has been reached once.
    public var epoch: String? { connected.value?.epoch }
    /// Latest seq per workspace when the database was last (re)connected.
    public var initialSeqs: [String: Int] { connected.value?.latestSeqs ?? [:] }

    /// `false` while storage is failing (for `/healthz` "degraded"); safe from any thread.
    public var isHealthy: Bool { health.value }

    /// Runs `plugin.handle` on the store thread inside the next batch; `reply`
    /// runs through `deliver` after the batch has committed (or failed).
    public func submit(_ request: PluginRequest, plugin: WorkspacePlugin, pluginName: String,
                       reply: @escaping (PluginReply) -> Void) {
        submit(request, pluginName: pluginName, handle: plugin.handle, reads: plugin.reads, reply: reply)
    }

    /// Runs `handle` like a plugin's `handle` (see
    /// ``submit(_:plugin:pluginName:reply:)``): in its own savepoint of the
    /// next batch, its records those of `pluginName` in the request's workspace.
    /// `reads`: the records it will read (``WorkspacePlugin/reads(for:)``).
    public func submit(_ request: PluginRequest, pluginName: String, handle: @escaping PluginHandler,
                       reads: @escaping (PluginRequest) -> [RecordKey] = { _ in [] },
                       reply: @escaping (PluginReply) -> Void) {
        let job = PluginJob(request: request, handle: handle, pluginName: pluginName, reads: reads, reply: reply)
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
            let job = TransactionJob { backend in
                outcome = backend.transaction(plugin: plugin, workspace: workspace, body)
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

    private static func process(_ jobs: [StoreJob], link: BackendLink,
                                deliver: (@escaping () -> Void) -> Void, log: @escaping (String) -> Void) {
        let backend = link.backend
        var pending: [PluginJob] = []
        func commitPending() {
            guard !pending.isEmpty else { return }
            let batch = pending
            pending = []
            link.connectIfNeeded()
            switch backend.runBatch(batch, log: log) {
            case .success(let replies):
                link.succeeded()
                deliver { for (job, reply) in zip(batch, replies) { job.reply(reply) } }
            case .failure(let error):
                link.failed("\(batch.count) request(s) answered unavailable: \(error)")
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
                link.connectIfNeeded()
                let page = backend.events(workspace: history.workspace, since: history.since, epoch: history.epoch,
                                          limit: history.limit)
                if case .failure(.unavailable(let reason)) = page { link.failed("reading history failed: \(reason)") }
                deliver { history.reply(page) }
            case .transaction(let job):
                commitPending()
                job.run(backend)
            }
        }
        commitPending()
    }
}

/// `withRecordStore` was called after `close`.
public struct StoreClosedError: Error, CustomStringConvertible {
    public var description: String { "the store is closed" }
}
