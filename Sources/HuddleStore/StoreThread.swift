import Foundation

/// A thread that runs jobs from a queue, handing over the jobs queued so far
/// (up to `maxBatch`) at once so the caller can commit them as one batch.
final class StoreThread<Job> {
    /// A bound on one batch, so a backlog cannot hold every earlier reply
    /// (and a shutdown) behind one huge transaction.
    static var maxBatch: Int { 256 }

    private let condition = NSCondition()
    private var queue: [Job] = []
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)
    private var worker: Thread?

    /// Starts the thread; `process` runs on it with each drained batch, in
    /// queue order, and `finish` once after the last batch. While the queue
    /// is empty, `idle` runs whenever the delay it returned last has passed
    /// (`nil`: not until after the next batch).
    init(name: String, process: @escaping ([Job]) -> Void, idle: @escaping () -> Double? = { nil },
         finish: @escaping () -> Void) {
        let worker = Thread { [self] in
            run(process, idle: idle)
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
    /// Only the first call waits; later calls return at once. With
    /// `abandon`, only the batch under way finishes: the jobs not started are
    /// taken off the queue and handed to `abandon` on the calling thread.
    func stop(abandon: (([Job]) -> Void)? = nil) {
        condition.lock()
        let alreadyStopping = stopping
        stopping = true
        var abandoned: [Job] = []
        if abandon != nil { swap(&abandoned, &queue) }
        condition.signal()
        condition.unlock()
        if !abandoned.isEmpty { abandon?(abandoned) }
        // Called from the thread itself (the last reference dropped there), the
        // thread exits after the current batch; waiting would deadlock.
        if !alreadyStopping && Thread.current !== worker { finished.wait() }
    }

    private func run(_ process: ([Job]) -> Void, idle: () -> Double?) {
        var idleDelay = idle()
        while true {
            condition.lock()
            while queue.isEmpty && !stopping {
                guard let delay = idleDelay else { condition.wait(); continue }
                if !condition.wait(until: Date(timeIntervalSinceNow: delay)) {
                    condition.unlock()
                    idleDelay = idle()
                    condition.lock()
                }
            }
            let jobs = Array(queue.prefix(Self.maxBatch))
            queue.removeFirst(jobs.count)
            condition.unlock()
            if jobs.isEmpty { break }
            process(jobs)
            idleDelay = idle()
        }
    }
}
