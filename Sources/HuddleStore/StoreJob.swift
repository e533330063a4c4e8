import Dispatch
import HuddlePluginKit

/// Work queued for the store thread.
enum StoreJob {
    case plugin(PluginJob)
    case history(HistoryJob)
    /// Runs with the database on the store thread (`Store.withRecordStore`).
    case transaction(TransactionJob)

    /// Answers a job that will not run: the store is shutting down.
    func abandon(deliver: (@escaping () -> Void) -> Void) {
        switch self {
        case .plugin(let job):
            let failure = PluginError(.unavailable, "the server is shutting down; nothing was written")
            deliver { job.reply(.failed(failure)) }
        case .history(let job):
            deliver { job.reply(.failure(.unavailable("the server is shutting down"))) }
        case .transaction(let job):
            job.abandon()
        }
    }
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
    private var work: ((StorageBackend) -> Void)?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping (StorageBackend) -> Void) { self.work = work }

    func run(_ backend: StorageBackend) {
        work?(backend)
        work = nil
        done.signal()
    }

    /// Wakes the caller without running the work; its outcome stays the
    /// "store closed" failure it started with.
    func abandon() {
        work = nil
        done.signal()
    }

    func waitUntilDone() { done.wait() }
}
