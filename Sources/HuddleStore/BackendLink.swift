/// The store thread's hold on its database: whether it is up, what the
/// database said at the last connect, and when to try again while it is down.
///
/// Used on the store thread (and once by `Store.init` before that thread
/// starts); `health` and `snapshot` are read from any thread.
final class BackendLink {
    let backend: StorageBackend
    /// `false` while storage is failing (`/healthz` "degraded").
    let health = Locked(false)
    /// What the database said at the last connect; `nil` until it has been reached.
    let snapshot = Locked<StorageSnapshot?>(nil)
    private let name: String
    private let deliver: (@escaping () -> Void) -> Void
    private let log: (String) -> Void
    private let connected: (StorageSnapshot) -> Void
    private var retryDelay = Store.reconnectDelays.first
    private var outageReported = false

    init(backend: StorageBackend, name: String, deliver: @escaping (@escaping () -> Void) -> Void,
         log: @escaping (String) -> Void, connected: @escaping (StorageSnapshot) -> Void) {
        self.backend = backend
        self.name = name
        self.deliver = deliver
        self.log = log
        self.connected = connected
    }

    /// Connects unless connected; `false` when the database cannot be
    /// reached. A failure is logged once per outage, not per attempt.
    @discardableResult
    func connectIfNeeded() -> Bool {
        // A SQLite file is opened by its backend's initializer: only the snapshot is missing.
        guard !backend.isConnected || snapshot.value == nil else { return true }
        do {
            let reached = try backend.connect()
            snapshot.value = reached
            if outageReported { log("storage \(name) is reachable again") }
            outageReported = false
            let connected = self.connected
            deliver { connected(reached) }
            return true
        } catch {
            health.value = false
            if !outageReported { log("storage \(name) is unreachable (\(error)); retrying in the background") }
            outageReported = true
            return false
        }
    }

    /// Connects and checks that a write could start now.
    func checkHealth() {
        health.value = connectIfNeeded() && backend.canWrite()
    }

    func succeeded() {
        health.value = true
        retryDelay = Store.reconnectDelays.first
    }

    func failed(_ what: String) {
        health.value = false
        log("storage failed; \(what)")
    }

    /// For the store thread's idle time: while storage is failing, checks it
    /// again after a delay that doubles up to a bound, so `/healthz` recovers
    /// without waiting for a request. `nil` while it is healthy.
    func recheckWhileFailing() -> Double? {
        guard !health.value else { return nil }
        checkHealth()
        guard !health.value else {
            retryDelay = Store.reconnectDelays.first
            return nil
        }
        defer { retryDelay = min(retryDelay * 2, Store.reconnectDelays.longest) }
        return retryDelay
    }
}
