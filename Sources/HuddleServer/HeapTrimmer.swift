import CMalloc
import HuddleLoop

/// Gives the heap's free pages back to the system once a burst of connections
/// has passed (a reconnect storm after a deploy, a load balancer failover).
///
/// A burst leaves holes: every welcome lists the whole workspace, so a storm
/// allocates and frees megabytes between the sessions that stay, and glibc
/// returns only the top of the heap by itself. `malloc_trim` releases the
/// free pages inside it too. It runs once the connection churn has stopped,
/// never during sustained churn, where the pages would be taken again at once.
final class HeapTrimmer {
    /// Connections opened or closed since the last trim that make a burst.
    static let burstConnections = 1000
    /// How long the churn must have stopped before trimming.
    static let quietIntervalMs: UInt64 = 250

    private let timer: LoopTimer
    private var churnSinceTrim = 0
    private var churnAtLastCheck = 0

    init(loop: EventLoop) {
        timer = LoopTimer(loop: loop)
        timer.keepsLoopAlive = false
    }

    func start(onTrim: @escaping (_ durationMs: UInt64) -> Void) {
        timer.start(afterMs: Self.quietIntervalMs, repeatMs: Self.quietIntervalMs) { [unowned self] in
            self.trimIfQuietAfterBurst(onTrim: onTrim)
        }
    }

    /// A connection was accepted or closed.
    func connectionChurned() {
        churnSinceTrim += 1
    }

    func close() {
        timer.close()
    }

    private func trimIfQuietAfterBurst(onTrim: (UInt64) -> Void) {
        let isQuiet = churnSinceTrim == churnAtLastCheck
        churnAtLastCheck = churnSinceTrim
        guard isQuiet, churnSinceTrim >= Self.burstConnections else { return }
        let started = EventLoop.hrtimeNanos()
        malloc_trim(0)
        onTrim((EventLoop.hrtimeNanos() - started) / 1_000_000)
        churnSinceTrim = 0
        churnAtLastCheck = 0
    }
}
