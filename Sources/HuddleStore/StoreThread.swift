import Foundation

/// A thread that runs jobs from a queue, handing over every job queued so
/// far at once so the caller can commit them as one batch.
final class StoreThread<Job> {
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)
    private var worker: Thread?

    /// Starts the thread; `process` runs on it with each drained batch, in
    /// queue order, and `finish` once after the last batch.
    init(name: String, process: @escaping ([Job]) -> Void, finish: @escaping () -> Void) {
        let worker = Thread { [self] in
            run(process)
            finish()
            finished.signal()
        }
        worker.name = name
        self.worker = worker
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
        // Called from the thread itself (the last reference dropped there), the
        // thread exits after the current batch; waiting would deadlock.
        if !alreadyStopping && Thread.current !== worker { finished.wait() }
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
    }
}
