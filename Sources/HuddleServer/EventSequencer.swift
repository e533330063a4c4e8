/// Puts each workspace's durable events in `seq` order before they reach
/// sessions, whichever way they come: this node's commits, other nodes'
/// publishes (at-most-once, and racing this node's own commits), or a read
/// from storage that fills a gap.
///
/// An event whose predecessor has not arrived is held; if the gap is still
/// there after `gapWaitMs`, `fill` reads the missing events from storage.
/// An event at or below the latest delivered seq is a duplicate: it is not
/// delivered again, but its `then` (a sender's ack) still runs, after the
/// copy that was delivered. Loop thread only.
final class EventSequencer {
    /// How long a gap may wait for its event to arrive from Redis before storage is asked.
    static let gapWaitMs: UInt64 = 50

    struct Arrival {
        let seq: Int
        let deliver: () -> Void
        /// Runs once the event (or its duplicate) has been delivered: a sender's ack.
        let then: (() -> Void)?
    }

    /// The latest seq delivered per workspace: what a welcome says.
    private(set) var latest: [String: Int]
    private var held: [String: [Int: [Arrival]]] = [:]
    private let scheduleFill: (String, Int) -> Void

    /// `scheduleFill(workspace, afterSeq)`: arrange for storage to be read
    /// after `gapWaitMs` (the server arms a timer and calls `fillDue`).
    init(latest: [String: Int], scheduleFill: @escaping (String, Int) -> Void) {
        self.latest = latest
        self.scheduleFill = scheduleFill
    }

    func accept(workspace: String, _ arrival: Arrival) {
        let known = latest[workspace] ?? 0
        if arrival.seq <= known {
            arrival.then?()
            return
        }
        if arrival.seq > known + 1 {
            let wasEmpty = held[workspace]?.isEmpty ?? true
            held[workspace, default: [:]][arrival.seq, default: []].append(arrival)
            if wasEmpty { scheduleFill(workspace, known) }
            return
        }
        deliverInOrder(workspace, first: arrival)
    }

    /// Raises what is known without delivering (storage says the workspace is
    /// at least there, e.g. when this node starts following it).
    func learn(workspace: String, latest seq: Int) {
        guard seq > latest[workspace] ?? 0 else { return }
        latest[workspace] = seq
        releaseHeld(workspace)
    }

    /// Whether the gap `scheduleFill` was called for is still open.
    func hasGap(in workspace: String, after seq: Int) -> Bool {
        !(held[workspace]?.isEmpty ?? true) && (latest[workspace] ?? 0) <= seq
    }

    private func deliverInOrder(_ workspace: String, first: Arrival) {
        first.deliver()
        first.then?()
        latest[workspace] = first.seq
        releaseHeld(workspace)
    }

    private func releaseHeld(_ workspace: String) {
        while var pending = held[workspace], !pending.isEmpty {
            let known = latest[workspace] ?? 0
            for seq in pending.keys where seq <= known {
                for stale in pending.removeValue(forKey: seq)! { stale.then?() }
            }
            guard let next = pending.removeValue(forKey: known + 1) else {
                held[workspace] = pending
                if !pending.isEmpty { scheduleFill(workspace, known) }
                return
            }
            held[workspace] = pending
            next[0].deliver()
            for arrival in next { arrival.then?() }
            latest[workspace] = known + 1
        }
        held[workspace] = nil
    }
}
