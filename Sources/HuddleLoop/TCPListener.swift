import CUV

/// A listening TCP socket that hands each accepted connection to `onAccept`.
public final class TCPListener: LoopHandleOwner {
    private let loop: EventLoop
    private let handle: UnsafeMutablePointer<uv_tcp_t>
    private var onAccept: ((TCPConnection) -> Void)?
    private var isClosing = false
    /// The bound port; the one the kernel chose when asked for port 0.
    public let port: Int

    /// Binds to `host` and `port` and listens. Port 0 picks any free port.
    /// A host name (rather than an IP address) is looked up on this thread. New connections arrive not yet reading:
    /// set `onRead`/`onClose`, then call `startReading()`.
    public init(loop: EventLoop, host: String, port: Int, backlog: Int32 = 1024,
                onAccept: @escaping (TCPConnection) -> Void) throws(LoopError) {
        let handle = LoopHandle.allocate(UV_TCP, as: uv_tcp_t.self)
        let status = uv_tcp_init(loop.uvLoop, handle)
        guard status == 0 else {
            LoopHandle.deallocateUninitialized(handle)
            throw LoopError(code: status)
        }
        do {
            let address = try SocketAddress.resolveBlocking(host: host, port: port, loop: loop)
            try LoopError.check(address.withSockaddr { uv_tcp_bind(handle, $0, 0) })
            try LoopError.check(uv_listen(LoopHandle.stream(handle), backlog) { server, status in
                LoopHandle.owner(of: server, as: TCPListener.self)?.accept(status: status)
            })
            self.port = try SocketAddress { uv_tcp_getsockname(handle, $0, $1) }.port
        } catch {
            // No owner attached yet: the close callback only frees the handle.
            LoopHandle.close(handle)
            throw error
        }
        self.loop = loop
        self.handle = handle
        self.onAccept = onAccept
        LoopHandle.attach(self, to: handle)
    }

    private func accept(status: Int32) {
        // A failed accept (e.g. out of descriptors) affects that one peer;
        // libuv keeps listening.
        guard status == 0, !isClosing, let connection = try? TCPConnection(loop: loop) else { return }
        guard uv_accept(LoopHandle.stream(handle), connection.stream) == 0 else {
            connection.close()
            return
        }
        onAccept?(connection)
    }

    /// Stops accepting and closes the socket. Idempotent.
    public func close() {
        guard !isClosing else { return }
        isClosing = true
        LoopHandle.close(handle)
    }

    func handleDidClose() {
        onAccept = nil
    }
}
