import CUV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A cross-thread queue drained on the loop: `send` from any thread, and
/// `handler` runs on the loop with every item sent since its last run, in
/// the order each thread sent them.
///
/// `uv_async_send` coalesces wakeups, so each run takes the whole queue.
public final class Wakeup<Item>: LoopHandleOwner, @unchecked Sendable {
    private let handle: UnsafeMutablePointer<uv_async_t>
    /// Guards `queue` and `isClosed`, the only state `send` touches.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var queue: [Item] = []
    private var isClosed = false
    /// Loop thread only.
    private var handler: (([Item]) -> Void)?

    public init(loop: EventLoop, handler: @escaping ([Item]) -> Void) throws(LoopError) {
        let handle = LoopHandle.allocate(UV_ASYNC, as: uv_async_t.self)
        // The callback cannot name the generic type, so it reaches the
        // owner through the non-generic LoopHandleOwner/WakeupDraining.
        let status = uv_async_init(loop.uvLoop, handle) { async in
            guard let async, let data = async.pointee.data else { return }
            (Unmanaged<AnyObject>.fromOpaque(data).takeUnretainedValue() as? WakeupDraining)?.drain()
        }
        guard status == 0 else {
            LoopHandle.deallocateUninitialized(handle)
            throw LoopError(code: status)
        }
        self.handle = handle
        self.handler = handler
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        LoopHandle.attach(self, to: handle)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Queues `item` and wakes the loop. Thread-safe; a no-op once closed.
    public func send(_ item: Item) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard !isClosed else { return }
        queue.append(item)
        // Under the lock, so close() cannot free the handle mid-call.
        uv_async_send(handle)
    }

    /// Closing state as the loop sees it; `isClosed` is the copy `send` reads.
    private var isClosedForLoop = false

    /// Stops delivery; items not yet handled are dropped and later sends
    /// ignored. Loop thread only; idempotent.
    public func close() {
        guard !isClosedForLoop else { return }
        isClosedForLoop = true
        pthread_mutex_lock(mutex)
        isClosed = true
        queue.removeAll()
        pthread_mutex_unlock(mutex)
        LoopHandle.close(handle)
    }

    func handleDidClose() {
        handler = nil
    }
}

/// The non-generic face of `Wakeup` its C callback can call.
protocol WakeupDraining: AnyObject {
    func drain()
}

extension Wakeup: WakeupDraining {
    func drain() {
        pthread_mutex_lock(mutex)
        let items = queue
        queue.removeAll(keepingCapacity: true)
        pthread_mutex_unlock(mutex)
        if !items.isEmpty && !isClosedForLoop {
            handler?(items)
        }
    }
}
