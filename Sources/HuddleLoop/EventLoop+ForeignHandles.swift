import CUV

/// The door for a C library that runs libuv handles of its own on this loop.
///
/// Its one user is HuddleRedis: hiredis's libuv adapter polls the Redis
/// socket with a `uv_poll_t` it allocates itself. Such a handle is not a
/// HuddleLoop handle (its `data` is the library's, not a `LoopHandleOwner`),
/// so `closeAll()` must not close it: its owner registers a hook that does.
extension EventLoop {
    /// The libuv loop itself. Loop thread only; never close or run it.
    public var libuvLoop: UnsafeMutablePointer<uv_loop_t> { uvLoop }

    /// Runs `hook` at the start of `closeAll()`, before HuddleLoop closes its
    /// own handles. The hook must start closing every foreign handle its
    /// owner still has on `libuvLoop`, at once and without waiting for I/O;
    /// `closeAll` then runs the loop until their close callbacks have fired.
    public func addCloseAllHook(_ hook: @escaping () -> Void) {
        closeAllHooks.append(hook)
    }
}
