import Foundation

/// A thread that runs jobs from a queue, handing over every job queued so
/// far at once so the caller can commit them as one batch.
final class StoreThread<Job> {
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the thread; `process` runs on it with each drained batch, in queue order.
    init(name: String, process: @escaping ([Job]) -> Void) {
        let worker = Thread { [self] in
            run(process)
        }
        worker.name = name
        worker.start()
    }

    /// Queues `job`; `false` once `stop` has been called.
    func enqueue(_ job: Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return false }
        queue.append(job)
        condition.signal()
        return true
    }

    /// Lets the thread finish every queued job, then waits until it has exited.
    /// Only the first call waits; later calls return at once.
    func stop() {
        condition.lock()
        let alreadyStopping = stopping
        stopping = true
        condition.signal()
        condition.unlock()
        if !alreadyStopping { finished.wait() }
    }

    private func run(_ process: ([Job]) -> Void) {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            let jobs = queue
            queue = []
            condition.unlock()
            if jobs.isEmpty { break }
            process(jobs)
        }
        finished.signal()
    }
}
