import CUV

/// Flushes each connection's queued writes once per loop turn.
///
/// A `uv_prepare_t` runs just before libuv blocks for I/O, after the timer,
/// pending and previous-turn check/close phases. Everything queued since the
/// last turn is therefore sent before the loop sleeps, and all the writes a
/// connection got during one turn go out in a single `uv_try_write` call.
/// The handle is started only while some connection has output queued, so it
/// never keeps an idle loop alive.
///
/// Batched writes (`TCPConnection.writeBatched`) wait for a timer instead.
/// On loopback and LAN the kernel's cost is per write call, not per byte, so
/// letting a busy connection's relays gather for a few milliseconds divides
/// the number of writes it needs.
final class WriteFlushScheduler: LoopHandleOwner {
    private let uvLoop: UnsafeMutablePointer<uv_loop_t>
    private let handle: UnsafeMutablePointer<uv_prepare_t>
    private let batchTimer: UnsafeMutablePointer<uv_timer_t>
    private var scheduled: [TCPConnection] = []
    /// The list being flushed, kept to reuse its storage next turn.
    private var flushing: [TCPConnection] = []
    private struct WaitingConnection {
        let connection: TCPConnection
        let dueMs: UInt64
    }
    /// Connections holding batched output, in deadline order; the entries
    /// before `firstWaiting` are released already.
    private var waiting: [WaitingConnection] = []
    private var firstWaiting = 0
    private var isStarted = false
    private var isBatchTimerArmed = false
    private var isClosing = false
    /// How long batched output may wait; 0 sends it at the end of the turn.
    var batchDelayMs: UInt64 = 0

    init(loop: UnsafeMutablePointer<uv_loop_t>) {
        uvLoop = loop
        handle = LoopHandle.allocate(UV_PREPARE, as: uv_prepare_t.self)
        batchTimer = LoopHandle.allocate(UV_TIMER, as: uv_timer_t.self)
        // uv_prepare_init and uv_timer_init cannot fail on the platforms libuv supports.
        uv_prepare_init(loop, handle)
        uv_timer_init(loop, batchTimer)
        LoopHandle.attach(self, to: handle)
        LoopHandle.attach(self, to: batchTimer)
        // Output waits only on open connections, which keep the loop alive
        // themselves; a connection that closed meanwhile has nothing to wait for.
        LoopHandle.setKeepsLoopAlive(batchTimer, false)
    }

    /// Adds `connection` to the next flush. The caller makes sure a
    /// connection is scheduled at most once per turn.
    func schedule(_ connection: TCPConnection) {
        guard !isClosing else { return }
        scheduled.append(connection)
        if !isStarted {
            isStarted = true
            uv_prepare_start(handle) { prepare in
                LoopHandle.owner(of: prepare, as: WriteFlushScheduler.self)?.flushAll()
            }
        }
    }

    /// Holds `connection`'s output for `batchDelayMs`. Each connection gets
    /// its own deadline rather than one shared tick, so the writes spread
    /// over time instead of all leaving in one turn. The caller makes sure a
    /// connection waits at most once.
    func scheduleBatched(_ connection: TCPConnection) {
        guard !isClosing else { return }
        let dueMs = uv_now(uvLoop) + batchDelayMs
        waiting.append(WaitingConnection(connection: connection, dueMs: dueMs))
        if !isBatchTimerArmed { armBatchTimer(dueMs: dueMs) }
    }

    private func armBatchTimer(dueMs: UInt64) {
        isBatchTimerArmed = true
        let now = uv_now(uvLoop)
        uv_timer_start(batchTimer, { timer in
            LoopHandle.owner(of: timer, as: WriteFlushScheduler.self)?.releaseDue()
        }, dueMs > now ? dueMs - now : 0, 0)
    }

    /// Runs in the timer phase, so the prepare phase of the same turn sends
    /// what it releases. Deadlines only grow, so the due ones are a prefix.
    private func releaseDue() {
        isBatchTimerArmed = false
        let now = uv_now(uvLoop)
        while firstWaiting < waiting.count && waiting[firstWaiting].dueMs <= now {
            waiting[firstWaiting].connection.batchDelayDidEnd()
            firstWaiting += 1
        }
        if firstWaiting == waiting.count {
            waiting.removeAll(keepingCapacity: true)
            firstWaiting = 0
            return
        }
        if firstWaiting > waiting.count / 2 {
            waiting.removeFirst(firstWaiting)
            firstWaiting = 0
        }
        armBatchTimer(dueMs: waiting[firstWaiting].dueMs)
    }

    private func flushAll() {
        swap(&scheduled, &flushing)
        for connection in flushing {
            connection.flushQueued()
        }
        flushing.removeAll(keepingCapacity: true)
        if scheduled.isEmpty {
            isStarted = false
            uv_prepare_stop(handle)
        }
    }

    func close() {
        guard !isClosing else { return }
        isClosing = true
        scheduled.removeAll()
        waiting.removeAll()
        LoopHandle.close(handle)
        LoopHandle.close(batchTimer)
    }

    func handleDidClose() {}
}
