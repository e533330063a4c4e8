import HuddleConfig
import HuddleCore
import HuddleJSON
import HuddleLoop
import HuddleOutbound

/// Presence webhooks (docs/protocol.md §13): notices from the core, queued
/// on the loop thread and POSTed in batches by `HuddleOutbound`'s thread,
/// so the loop never waits for the receiver.
///
/// One batch is in flight at a time and a failed one is retried before
/// anything after it, so events leave in the order they happened (per
/// workspace, and overall), at least once: a receiver that answered 2xx
/// but whose answer was lost gets the batch again. Retries back off from
/// `firstRetryMs`, doubling to `longestRetryMs`, for `giveUpMs`; then the
/// batch is dropped and counted. The queue holds at most `max_queue`
/// events; past it new ones are dropped, counted, and logged (once per 10 s).
final class WebhookSender {
    static let batchLimit = 500
    static let firstRetryMs: UInt64 = 500
    static let longestRetryMs: UInt64 = 30_000
    static let giveUpMs: UInt64 = 10 * 60_000
    static let dropLogIntervalMs: UInt64 = 10_000

    private let url: String
    private let secret: [UInt8]
    private let events: Set<String>
    private let maxQueue: Int
    private let timeoutMs: Int
    private let client: OutboundClient
    private let loop: EventLoop
    private let log: (String) -> Void
    private let retryTimer: LoopTimer
    private var queue: [JSONValue] = []
    private var inFlight: (events: [JSONValue], firstTriedMs: UInt64, retryMs: UInt64)?
    private var lastDropLogMs: UInt64?

    private(set) var sent = 0
    private(set) var dropped = 0
    private(set) var failedAttempts = 0
    var queued: Int { queue.count + (inFlight?.events.count ?? 0) }

    init?(settings: HuddleConfig.Webhooks, loop: EventLoop, deliver: @escaping (@escaping () -> Void) -> Void,
          log: @escaping (String) -> Void) {
        guard let url = settings.url, let secret = settings.secret else { return nil }
        self.url = url
        self.secret = Array(secret.utf8)
        events = Set(settings.events)
        maxQueue = settings.maxQueue
        timeoutMs = settings.timeoutMs
        self.loop = loop
        self.log = log
        client = OutboundClient(name: "webhooks", maxInFlight: 1, deliver: deliver)
        retryTimer = LoopTimer(loop: loop)
    }

    /// Queues a notice of the core, stamped `at` (ISO-8601), if its kind is wanted.
    func enqueue(_ notice: PresenceNotice, at: String) {
        guard events.contains(notice.kind.rawValue) else { return }
        guard queued < maxQueue else {
            dropped += 1
            let nowMs = loop.nowMs
            if lastDropLogMs.map({ nowMs - $0 >= Self.dropLogIntervalMs }) ?? true {
                lastDropLogMs = nowMs
                log("webhooks: the queue is full (\(maxQueue) events); dropping new ones (\(dropped) so far)")
            }
            return
        }
        var event: [String: JSONValue] = ["type": .string(notice.kind.rawValue), "workspace": .string(notice.workspace),
                                          "at": .string(at)]
        if let user = notice.user { event["user"] = .string(user) }
        queue.append(.object(event))
        if inFlight == nil { sendNext() }
    }

    func close() {
        retryTimer.close()
        client.close()
    }

    private func sendNext() {
        guard inFlight == nil, !queue.isEmpty else { return }
        let batch = Array(queue.prefix(Self.batchLimit))
        queue.removeFirst(batch.count)
        inFlight = (batch, loop.nowMs, Self.firstRetryMs)
        attempt()
    }

    private func attempt() {
        guard let batch = inFlight else { return }
        let body = JSONValue.object(["events": .array(batch.events)]).encoded()
        let request = OutboundRequest(url: url, headers: [("Content-Type", "application/json"),
                                                          HMACSHA256.signatureHeader(key: secret, body: body)],
                                      body: body, timeoutMs: timeoutMs)
        client.send(request) { [weak self] result in self?.finished(result) }
    }

    private func finished(_ result: OutboundResult) {
        guard var batch = inFlight else { return }
        if case .response(let status, _) = result, (200..<300).contains(status) {
            sent += batch.events.count
            inFlight = nil
            return sendNext()
        }
        failedAttempts += 1
        if loop.nowMs - batch.firstTriedMs >= Self.giveUpMs {
            dropped += batch.events.count
            log("webhooks: \(batch.events.count) event(s) dropped after \(Self.giveUpMs / 60_000) minutes of failures (\(result))")
            inFlight = nil
            return sendNext()
        }
        let wait = batch.retryMs
        batch.retryMs = min(wait * 2, Self.longestRetryMs)
        inFlight = batch
        retryTimer.start(afterMs: wait) { [weak self] in self?.attempt() }
    }
}
