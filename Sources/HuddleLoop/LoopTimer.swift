import CUV

/// A libuv timer. Its callback runs on the loop; the timer lives until
/// `close()` (or `EventLoop.closeAll()`).
public final class LoopTimer: LoopHandleOwner {
    private let handle: UnsafeMutablePointer<uv_timer_t>
    private var callback: (() -> Void)?
    private var isClosing = false

    public init(loop: EventLoop) {
        handle = LoopHandle.allocate(UV_TIMER, as: uv_timer_t.self)
        // uv_timer_init cannot fail.
        uv_timer_init(loop.uvLoop, handle)
        LoopHandle.attach(self, to: handle)
    }

    /// Arms the timer to fire after `afterMs`, then every `repeatMs` if that
    /// is not 0. Starting an armed timer re-arms it with the new callback.
    public func start(afterMs: UInt64, repeatMs: UInt64 = 0, _ callback: @escaping () -> Void) {
        guard !isClosing else { return }
        self.callback = callback
        uv_timer_start(handle, { timer in
            LoopHandle.owner(of: timer, as: LoopTimer.self)?.callback?()
        }, afterMs, repeatMs)
    }

    /// Disarms the timer; `start` may arm it again.
    public func stop() {
        guard !isClosing else { return }
        uv_timer_stop(handle)
    }

    /// Whether an armed timer keeps `EventLoop.run()` from returning
    /// (default true). A watchdog or periodic housekeeping timer sets it
    /// false so the loop still ends when the real work is done.
    public var keepsLoopAlive: Bool = true {
        didSet {
            guard !isClosing else { return }
            LoopHandle.setKeepsLoopAlive(handle, keepsLoopAlive)
        }
    }

    /// Disarms and releases the timer. Idempotent.
    public func close() {
        guard !isClosing else { return }
        isClosing = true
        LoopHandle.close(handle)
    }

    func handleDidClose() {
        callback = nil
    }
}
