import CUV

/// A Swift object that owns one or more libuv handles.
///
/// Each handle's `data` holds an `Unmanaged` reference to its owner, retained
/// when the handle is set up and released in the shared close callback, so
/// the owner (and whatever its callbacks capture) outlives every libuv
/// callback that can still reach it.
protocol LoopHandleOwner: AnyObject {
    /// Starts closing the owner's handles; idempotent. `EventLoop.closeAll`
    /// calls it for handles still open.
    func close()
    /// Runs in the close callback, before the owner's reference is released.
    func handleDidClose()
}

/// Allocation, ownership and closing of libuv handles, in one place so that
/// every handle is freed by the same close callback.
enum LoopHandle {
    /// Raw memory for a handle of `type`, bound to `T`; freed by `closeCallback`
    /// or, if the handle was never initialised, by `deallocateUninitialized`.
    static func allocate<T>(_ type: uv_handle_type, as: T.Type) -> UnsafeMutablePointer<T> {
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: uv_handle_size(type), alignment: MemoryLayout<T>.alignment)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: uv_handle_size(type))
        return raw.bindMemory(to: T.self, capacity: 1)
    }

    static func deallocateUninitialized<T>(_ handle: UnsafeMutablePointer<T>) {
        UnsafeMutableRawPointer(handle).deallocate()
    }

    /// Makes `owner` the handle's context, retained until the close callback.
    static func attach<T>(_ owner: LoopHandleOwner, to handle: UnsafeMutablePointer<T>) {
        generic(handle).pointee.data = Unmanaged<AnyObject>.passRetained(owner).toOpaque()
    }

    /// The owner a callback's handle belongs to. Valid until the close callback.
    static func owner<Owner: AnyObject, T>(of handle: UnsafeMutablePointer<T>?, as: Owner.Type) -> Owner? {
        guard let handle, let data = generic(handle).pointee.data else { return nil }
        return Unmanaged<Owner>.fromOpaque(data).takeUnretainedValue()
    }

    /// Closes the handle unless it is already closing. An initialised handle
    /// without an owner (a constructor that failed half-way) is freed too.
    static func close<T>(_ handle: UnsafeMutablePointer<T>) {
        let base = generic(handle)
        guard uv_is_closing(base) == 0 else { return }
        uv_close(base, closeCallback)
    }

    /// Refs or unrefs the handle: an unreferenced handle works as usual but
    /// does not keep `uv_run` going on its own.
    static func setKeepsLoopAlive<T>(_ handle: UnsafeMutablePointer<T>, _ keepsAlive: Bool) {
        if keepsAlive {
            uv_ref(generic(handle))
        } else {
            uv_unref(generic(handle))
        }
    }

    static func generic<T>(_ handle: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<uv_handle_t> {
        UnsafeMutablePointer<uv_handle_t>(OpaquePointer(handle))
    }

    static func stream<T>(_ handle: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<uv_stream_t> {
        UnsafeMutablePointer<uv_stream_t>(OpaquePointer(handle))
    }

    /// The one close callback: notify and release the owner, then free the memory.
    static let closeCallback: uv_close_cb = { handle in
        guard let handle else { return }
        if let data = handle.pointee.data {
            handle.pointee.data = nil
            let owner = Unmanaged<AnyObject>.fromOpaque(data)
            (owner.takeUnretainedValue() as? LoopHandleOwner)?.handleDidClose()
            owner.release()
        }
        UnsafeMutableRawPointer(handle).deallocate()
    }
}
