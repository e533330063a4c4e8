import Dispatch

/// Work queued for the store thread.
enum StoreJob {
    case plugin(PluginJob)
    case history(HistoryJob)
    /// Runs with the database on the store thread (`Store.withRecordStore`).
    case transaction(TransactionJob)
}

/// A history read waiting for the store thread.
struct HistoryJob {
    let workspace: String
    let since: Int
    let epoch: String?
    let limit: Int?
    let reply: (Result<EventPage, HistoryError>) -> Void
}

/// Work a caller waits for, run once on the store thread.
///
/// The work is dropped before the caller is woken: it captures the caller's
/// non-escaping closure, which must not outlive the wait.
final class TransactionJob {
    private var work: ((StoreDatabase) -> Void)?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping (StoreDatabase) -> Void) { self.work = work }

    func run(_ database: StoreDatabase) {
        work?(database)
        work = nil
        done.signal()
    }

    func waitUntilDone() { done.wait() }
}
