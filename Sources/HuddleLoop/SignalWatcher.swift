import CUV

/// Runs `handler` on the loop whenever the process receives `signal`.
public final class SignalWatcher: LoopHandleOwner {
    private let handle: UnsafeMutablePointer<uv_signal_t>
    private var handler: (() -> Void)?
    private var isClosing = false

    public init(loop: EventLoop, signal: Int32, handler: @escaping () -> Void) throws(LoopError) {
        let handle = LoopHandle.allocate(UV_SIGNAL, as: uv_signal_t.self)
        let status = uv_signal_init(loop.uvLoop, handle)
        guard status == 0 else {
            LoopHandle.deallocateUninitialized(handle)
            throw LoopError(code: status)
        }
        let started = uv_signal_start(handle, { signal, _ in
            LoopHandle.owner(of: signal, as: SignalWatcher.self)?.handler?()
        }, signal)
        guard started == 0 else {
            LoopHandle.close(handle)
            throw LoopError(code: started)
        }
        self.handle = handle
        self.handler = handler
        LoopHandle.attach(self, to: handle)
    }

    /// Stops watching; libuv restores the default disposition once no
    /// watcher for the signal remains. Idempotent.
    public func close() {
        guard !isClosing else { return }
        isClosing = true
        LoopHandle.close(handle)
    }

    func handleDidClose() {
        handler = nil
    }
}
