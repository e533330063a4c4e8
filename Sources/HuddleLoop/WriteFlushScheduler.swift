import CUV

/// Flushes each connection's queued writes once per loop turn.
///
/// A `uv_prepare_t` runs just before libuv blocks for I/O, after the timer,
/// pending and previous-turn check/close phases. Everything queued since the
/// last turn is therefore sent before the loop sleeps, and all the writes a
/// connection got during one turn go out in a single `uv_try_write` call.
/// The handle is started only while some connection has output queued, so it
/// never keeps an idle loop alive.
final class WriteFlushScheduler: LoopHandleOwner {
    private let handle: UnsafeMutablePointer<uv_prepare_t>
    private var scheduled: [TCPConnection] = []
    /// The list being flushed, kept to reuse its storage next turn.
    private var flushing: [TCPConnection] = []
    private var isStarted = false
    private var isClosing = false

    init(loop: UnsafeMutablePointer<uv_loop_t>) {
        handle = LoopHandle.allocate(UV_PREPARE, as: uv_prepare_t.self)
        // uv_prepare_init cannot fail on the platforms libuv supports.
        uv_prepare_init(loop, handle)
        LoopHandle.attach(self, to: handle)
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
        LoopHandle.close(handle)
    }

    func handleDidClose() {}
}
