import CUV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One libuv loop. Everything here runs on the thread that calls `run()`;
/// only `Wakeup.send` may be called from other threads.
///
/// Handles (listeners, connections, timers, wakeups, signal watchers) keep
/// their owner objects, and through them this loop, alive until they are
/// closed. `closeAll()` closes whatever is still open and releases the loop.
public final class EventLoop {
    /// Size of the one read buffer every connection on this loop reads into.
    static let readBufferSize = 64 * 1024
    private static let initialWriteVectorCapacity = 64

    let uvLoop: UnsafeMutablePointer<uv_loop_t>
    /// Handed out by every connection's alloc callback: libuv reads and
    /// delivers one chunk at a time, so a single buffer serves the whole loop.
    let readBuffer: UnsafeMutableRawBufferPointer
    /// Scratch iovec array for `uv_try_write`/`uv_write`; libuv copies the
    /// array itself, so it can be reused for the next connection at once.
    private(set) var writeVectors: UnsafeMutablePointer<uv_buf_t>
    private var writeVectorCapacity: Int
    let flushScheduler: WriteFlushScheduler
    /// True once `closeAll()` has released the libuv loop.
    public private(set) var isTornDown = false
    /// The thread inside `run()`, if any. uv_run is not re-entrant, and
    /// handles may only be touched from this thread while it runs.
    private var runningThread: pthread_t?
    private var isRunning: Bool { runningThread != nil }
    /// Set by `addCloseAllHook`: closers of handles HuddleLoop did not create.
    var closeAllHooks: [() -> Void] = []

    /// Creates a loop and makes writes to a vanished peer an error (`EPIPE`)
    /// rather than a process-killing `SIGPIPE`.
    public init() throws(LoopError) {
        signal(SIGPIPE, SIG_IGN)
        let loop = UnsafeMutablePointer<uv_loop_t>.allocate(capacity: 1)
        let status = uv_loop_init(loop)
        guard status == 0 else {
            loop.deallocate()
            throw LoopError(code: status)
        }
        uvLoop = loop
        readBuffer = .allocate(byteCount: Self.readBufferSize, alignment: MemoryLayout<UInt64>.alignment)
        writeVectorCapacity = Self.initialWriteVectorCapacity
        writeVectors = .allocate(capacity: writeVectorCapacity)
        flushScheduler = WriteFlushScheduler(loop: loop)
        uvLoop.pointee.data = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        closeAll()
        uvLoop.deallocate()
        readBuffer.deallocate()
        writeVectors.deallocate()
    }

    /// Runs until `stop()` is called or no active, referenced handle remains.
    public func run() {
        precondition(!isTornDown, "EventLoop.run after closeAll")
        precondition(!isRunning, "EventLoop.run called from inside run")
        runningThread = pthread_self()
        defer { runningThread = nil }
        uv_run(uvLoop, UV_RUN_DEFAULT)
    }

    /// Makes `run()` return after the current loop turn. Loop thread only.
    public func stop() {
        uv_stop(uvLoop)
    }

    /// How long output queued with `TCPConnection.writeBatched` may wait to
    /// be sent with more (default 0: the end of the loop turn).
    public var batchDelayMs: UInt64 {
        get { flushScheduler.batchDelayMs }
        set { flushScheduler.batchDelayMs = newValue }
    }

    /// Monotonic milliseconds, cached at the start of each loop turn.
    public var nowMs: UInt64 {
        uv_now(uvLoop)
    }

    /// Refreshes the cached `nowMs`.
    public func updateTime() {
        uv_update_time(uvLoop)
    }

    /// Monotonic nanoseconds from an arbitrary origin, not cached.
    public static func hrtimeNanos() -> UInt64 {
        uv_hrtime()
    }

    /// Closes every handle still open (connections report `onClose(nil)`),
    /// runs the loop until all close callbacks have fired, then closes the
    /// libuv loop. Idempotent; the loop cannot run afterwards. Call it after
    /// `run()` returns, never from a callback.
    public func closeAll() {
        guard !isTornDown else { return }
        precondition(!isRunning, "EventLoop.closeAll called from inside run")
        // First the foreign handles: the walk below would take their `data`
        // for a HuddleLoop owner. Once closing, the walk skips them.
        let hooks = closeAllHooks
        closeAllHooks.removeAll()
        hooks.forEach { $0() }
        // A close callback may open a new handle (e.g. a reconnect); go round
        // until libuv agrees nothing is left.
        repeat {
            uv_walk(uvLoop, { handle, _ in
                guard let handle, uv_is_closing(handle) == 0 else { return }
                if let data = handle.pointee.data,
                   let owner = Unmanaged<AnyObject>.fromOpaque(data).takeUnretainedValue() as? LoopHandleOwner {
                    owner.close()
                } else {
                    LoopHandle.close(handle)
                }
            }, nil)
            uv_run(uvLoop, UV_RUN_DEFAULT)
        } while uv_loop_close(uvLoop) == UV_EBUSY.rawValue
        isTornDown = true
    }

    /// Debug-build check that a handle is not used from another thread while
    /// the loop runs (only `Wakeup.send` may be).
    func assertOnLoopThread(_ caller: StaticString = #function) {
        assert(runningThread.map { pthread_equal($0, pthread_self()) != 0 } ?? true,
               "HuddleLoop: \(caller) called off the loop thread")
    }

    /// The scratch iovec array, grown to hold at least `count` entries.
    func writeVectors(capacity count: Int) -> UnsafeMutablePointer<uv_buf_t> {
        if count > writeVectorCapacity {
            while writeVectorCapacity < count { writeVectorCapacity *= 2 }
            writeVectors.deallocate()
            writeVectors = .allocate(capacity: writeVectorCapacity)
        }
        return writeVectors
    }

    /// The Swift loop behind a libuv handle's `loop` pointer.
    static func of(_ handle: UnsafeMutablePointer<uv_handle_t>) -> EventLoop {
        Unmanaged<EventLoop>.fromOpaque(handle.pointee.loop.pointee.data).takeUnretainedValue()
    }
}
