import CMalloc
import HuddleLoop

/// Gives the heap's free pages back to the system once a burst of connections
/// has passed (a reconnect storm after a deploy, a load balancer failover).
///
/// A burst leaves holes: every welcome lists the whole workspace, so a storm
/// allocates and frees hundreds of megabytes between the sessions that stay,
/// and glibc returns only the top of the heap by itself. `malloc_trim`
/// releases the free pages inside it too. It runs once the connection churn
/// has stopped, never during sustained churn, where the pages would be taken
/// again at once; and for a while after, again each time malloc holds another
/// `followUpBytes` of free memory, because the welcomes of a storm are still
/// being written to slow readers when the churn stops.
final class HeapTrimmer {
    /// Connections opened or closed since the last trim that make a burst.
    static let burstConnections = 1000
    /// How long the churn must have stopped before trimming.
    static let quietIntervalMs: UInt64 = 250
    /// After a burst's trim: how long freed memory is still watched, and how
    /// much of it makes another trim worthwhile.
    static let followUpMs: UInt64 = 10_000
    static let followUpBytes = 16 << 20

    private let loop: EventLoop
    private let timer: LoopTimer
    private var churnSinceTrim = 0
    private var churnAtLastCheck = 0
    private var followUpUntilMs: UInt64 = 0
    private var freeBytesAfterTrim = 0

    init(loop: EventLoop) {
        self.loop = loop
        timer = LoopTimer(loop: loop)
        timer.keepsLoopAlive = false
    }

    func start(onTrim: @escaping (_ durationMs: UInt64) -> Void) {
        timer.start(afterMs: Self.quietIntervalMs, repeatMs: Self.quietIntervalMs) { [unowned self] in
            self.check(onTrim: onTrim)
        }
    }

    /// A connection was accepted or closed.
    func connectionChurned() {
        churnSinceTrim += 1
    }

    func close() {
        timer.close()
    }

    private func check(onTrim: (UInt64) -> Void) {
        let isQuiet = churnSinceTrim == churnAtLastCheck
        churnAtLastCheck = churnSinceTrim
        guard isQuiet else { return }
        if churnSinceTrim >= Self.burstConnections {
            followUpUntilMs = loop.nowMs + Self.followUpMs
            trim(onTrim: onTrim)
        } else if loop.nowMs < followUpUntilMs && Self.freeBytes() >= freeBytesAfterTrim + Self.followUpBytes {
            trim(onTrim: onTrim)
        }
    }

    private func trim(onTrim: (UInt64) -> Void) {
        let started = EventLoop.hrtimeNanos()
        malloc_trim(0)
        onTrim((EventLoop.hrtimeNanos() - started) / 1_000_000)
        // Trimmed pages stay free chunks to malloc; only what is freed after counts.
        freeBytesAfterTrim = Self.freeBytes()
        churnSinceTrim = 0
        churnAtLastCheck = 0
    }

    /// Free bytes malloc holds in its arenas.
    private static func freeBytes() -> Int {
        Int(mallinfo2().fordblks)
    }
}
