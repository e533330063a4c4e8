import CCurl
import Foundation

/// An HTTP client for calls Huddle makes to other servers (proxy plugins'
/// backends, presence webhooks), on libcurl, that never blocks its caller.
///
/// ```swift
/// let client = OutboundClient(name: "proxy-billing", maxInFlight: 64, deliver: { wakeup.send($0) })
/// client.send(OutboundRequest(url: "http://127.0.0.1:9000/hook", headers: [("Content-Type", "application/json")],
///                             body: body, timeoutMs: 2000)) { result in
///     // runs through `deliver`, e.g. on the event loop
/// }
/// ```
///
/// - `send` only queues (any thread); one background thread drives a libcurl
///   multi handle with every transfer under way, so a slow server holds
///   nothing but its own transfers.
/// - At most `maxInFlight` transfers run at once; later requests wait in
///   order and start as earlier ones finish. The queue itself is not
///   bounded: a caller that must bound it (a webhook queue with
///   `max_queue`) counts what it has sent and not yet seen completed.
/// - Every request gets exactly one completion, handed to `deliver` (the
///   server's loop wakeup); the client never runs completions itself. A
///   retrying sender resends from its completion.
/// - `close()` stops the thread; requests not yet answered complete with
///   ``OutboundFailure/Reason/closed``. Call it: the thread keeps the client
///   alive until then.
///
/// Connections to the same host are reused between transfers (libcurl's
/// connection cache).
public final class OutboundClient: @unchecked Sendable {
    /// Most transfers one client runs at once.
    public let maxInFlight: Int
    private let deliver: (@escaping () -> Void) -> Void
    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var queue: [(OutboundRequest, (OutboundResult) -> Void)] = []
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)
    private var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    /// How long the thread sleeps in libcurl with nothing to do: a bound,
    /// not a delay, since `send` and `close` wake it.
    static let idlePollMs: Int32 = 1000

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// Starts the client's thread, named `huddle-<name>`.
    public init(name: String, maxInFlight: Int, deliver: @escaping (@escaping () -> Void) -> Void) {
        precondition(maxInFlight >= 1, "maxInFlight must be at least 1")
        _ = Self.globalInit
        self.maxInFlight = maxInFlight
        self.deliver = deliver
        guard let multi = curl_multi_init() else { fatalError("libcurl could not make a multi handle (out of memory)") }
        self.multi = multi
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "huddle-\(name)"
        thread.start()
    }

    // The thread holds the client until `close()` ends it, so this runs only
    // after the thread is gone and nothing can touch the multi handle.
    deinit {
        curl_multi_cleanup(multi)
    }

    /// Queues `request`; `completion` runs through `deliver` once it is answered or failed.
    public func send(_ request: OutboundRequest, completion: @escaping (OutboundResult) -> Void) {
        lock.lock()
        let closed = stopping
        if !closed { queue.append((request, completion)) }
        lock.unlock()
        if closed {
            deliver { completion(.failed(OutboundFailure(.closed, "the client is closed"))) }
        } else {
            curl_multi_wakeup(multi)
        }
    }

    /// Stops the thread and waits for it; what has not finished fails
    /// ``OutboundFailure/Reason/closed``. Later calls do nothing.
    public func close() {
        lock.lock()
        let already = stopping
        stopping = true
        lock.unlock()
        guard !already else { return }
        curl_multi_wakeup(multi)
        finished.wait()
    }

    // MARK: The client's thread

    private func run() {
        while true {
            lock.lock()
            let stop = stopping
            var starting: [(OutboundRequest, (OutboundResult) -> Void)] = []
            if !stop {
                let room = maxInFlight - running.count
                starting = Array(queue.prefix(max(room, 0)))
                queue.removeFirst(starting.count)
            }
            lock.unlock()
            if stop { break }
            for (request, completion) in starting { start(request, completion) }
            var active: Int32 = 0
            curl_multi_perform(multi, &active)
            collectFinished()
            curl_multi_poll(multi, nil, 0, Self.idlePollMs, nil)
        }
        abandonAll()
    }

    private func start(_ request: OutboundRequest, _ completion: @escaping (OutboundResult) -> Void) {
        guard let transfer = CurlTransfer(request, completion: completion) else {
            deliver { completion(.failed(OutboundFailure(.transfer, "libcurl could not make a handle"))) }
            return
        }
        running[transfer.handle] = transfer
        curl_multi_add_handle(multi, transfer.handle)
    }

    private func collectFinished() {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                  let transfer = running.removeValue(forKey: handle) else { continue }
            let code = message.pointee.data.result
            curl_multi_remove_handle(multi, handle)
            transfer.finish(transfer.result(for: code), deliver: deliver)
        }
    }

    private func abandonAll() {
        lock.lock()
        let waiting = queue
        queue = []
        lock.unlock()
        let closed = OutboundResult.failed(OutboundFailure(.closed, "the client is closed"))
        for transfer in running.values {
            curl_multi_remove_handle(multi, transfer.handle)
            transfer.finish(closed, deliver: deliver)
        }
        running = [:]
        for (_, completion) in waiting { deliver { completion(closed) } }
    }
}
