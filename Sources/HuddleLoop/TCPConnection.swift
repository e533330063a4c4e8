import CUV

/// A TCP stream on the loop: reads into the loop's shared buffer, writes in
/// per-turn batches, and reports its end exactly once through `onClose`.
///
/// The connection keeps itself alive while its handle is open (accepted
/// connections need no other owner) and drops `onRead`/`onClose` once closed,
/// so closures that capture the connection do not leak it.
public final class TCPConnection: LoopHandleOwner {
    enum State {
        /// Reading and writing.
        case open
        /// `closeAfterFlush` was called: queued output goes out, then
        /// shutdown and close; new writes are dropped.
        case draining
        /// `uv_close` was called; the close callback has not run yet.
        case closing
        /// The close callback ran and `onClose` was called.
        case closed
    }

    // The byte-sized fields sit together: every connection carries them, and
    // scattered between the word-sized ones their padding cost a malloc size class.
    let loop: EventLoop
    let handle: UnsafeMutablePointer<uv_tcp_t>
    var stream: UnsafeMutablePointer<uv_stream_t> { LoopHandle.stream(handle) }
    var state = State.open
    private var isReading = false
    // Write state, see TCPConnection+Writing.swift.
    var isScheduledForFlush = false
    /// In the scheduler's batch, waiting for the batch delay to end.
    var isWaitingForBatch = false
    var isShutdownStarted = false
    private var closeError: LoopError?
    var queued: [OutboundBuffer] = []
    var queuedBytes = 0
    var inFlightBytes = 0
    /// Set by `closeLingering`: bounds the wait for the peer's end of stream.
    var lingerTimer: LoopTimer?
    /// TLS, when the listener serves it: set before `startReading`.
    public var security: StreamSecurity?
    /// How many times queued output was handed to the kernel (one
    /// `uv_try_write` per flush); lets tests see that writes are batched.
    var flushCount = 0

    /// Called with each chunk read. The bytes live in a buffer shared by the
    /// whole loop and are valid only during the call; they are mutable so a
    /// WebSocket parser can unmask in place.
    public var onRead: ((UnsafeMutableRawBufferPointer) -> Void)?

    /// Called exactly once, after the handle is closed: `nil` for end of
    /// stream or a local close, the error otherwise. While `connect` is under
    /// way it reports the attempt's failure instead.
    public var onClose: ((LoopError?) -> Void)?

    init(loop: EventLoop) throws(LoopError) {
        let handle = LoopHandle.allocate(UV_TCP, as: uv_tcp_t.self)
        let status = uv_tcp_init(loop.uvLoop, handle)
        guard status == 0 else {
            LoopHandle.deallocateUninitialized(handle)
            throw LoopError(code: status)
        }
        self.loop = loop
        self.handle = handle
        LoopHandle.attach(self, to: handle)
    }

    // MARK: Connecting

    /// Connects to `host` (an IP address, or a name looked up on libuv's
    /// thread pool) and `port`. `completion` runs on the loop once: with the
    /// connection, or with the error after the attempt's handle is closed.
    public static func connect(loop: EventLoop, host: String, port: Int,
                               completion: @escaping (Result<TCPConnection, LoopError>) -> Void) {
        let connection: TCPConnection
        do throws(LoopError) {
            connection = try TCPConnection(loop: loop)
        } catch {
            completion(.failure(error))
            return
        }
        // No field of its own for the completion: every connection would carry
        // it, and until the connect completes nobody else can have set onClose.
        connection.onClose = { error in completion(.failure(error ?? LoopError(code: UV_ECANCELED.rawValue))) }
        SocketAddress.resolve(host: host, port: port, loop: loop) { resolved in
            switch resolved {
            case .success(let address):
                connection.connect(to: address, completion: completion)
            case .failure(let error):
                connection.closeNow(error: error)
            }
        }
    }

    private func connect(to address: SocketAddress, completion: @escaping (Result<TCPConnection, LoopError>) -> Void) {
        // Closed while the name was being looked up: the close reports it.
        guard state == .open else { return }
        let request = UnsafeMutablePointer<uv_connect_t>.allocate(capacity: 1)
        request.pointee.data = PendingCompletion.retained(completion)
        let status = address.withSockaddr { sockaddr in
            uv_tcp_connect(request, handle, sockaddr) { request, status in
                guard let request else { return }
                let stream = request.pointee.handle
                let completion = PendingCompletion<TCPConnection>.take(request.pointee.data)
                request.deallocate()
                LoopHandle.owner(of: stream, as: TCPConnection.self)?.didConnect(status: status, completion: completion)
            }
        }
        if status < 0 {
            _ = PendingCompletion<TCPConnection>.take(request.pointee.data)
            request.deallocate()
            closeNow(error: LoopError(code: status))
        }
    }

    private func didConnect(status: Int32, completion: (Result<TCPConnection, LoopError>) -> Void) {
        if status == 0 {
            onClose = nil
            completion(.success(self))
        } else if status != UV_ECANCELED.rawValue {
            // Cancelled means close() got here first and already reports it.
            closeNow(error: LoopError(code: status))
        }
    }

    // MARK: Reading

    /// Starts delivering data to `onRead`. Idempotent.
    public func startReading() {
        loop.assertOnLoopThread()
        guard state == .open || state == .draining, !isReading else { return }
        isReading = true
        let status = uv_read_start(stream, { handle, _, buffer in
            guard let handle, let buffer else { return }
            let shared = EventLoop.of(handle).readBuffer
            buffer.pointee = uv_buf_init(shared.baseAddress!.assumingMemoryBound(to: CChar.self),
                                         UInt32(shared.count))
        }, { stream, count, buffer in
            LoopHandle.owner(of: stream, as: TCPConnection.self)?
                .didRead(count: count, base: buffer?.pointee.base)
        })
        if status < 0 {
            closeNow(error: LoopError(code: status))
        }
    }

    /// Stops delivering data; the kernel buffers what arrives meanwhile.
    public func stopReading() {
        guard state == .open || state == .draining else { return }
        isReading = false
        uv_read_stop(stream)
    }

    private func didRead(count: Int, base: UnsafeMutablePointer<CChar>?) {
        if count > 0, let base, let security {
            guard var plaintext = security.received(UnsafeRawBufferPointer(start: base, count: count)) else {
                closeNow(error: nil)
                return
            }
            // Handshake answers go out even though nothing was written.
            if security.hasOutput { scheduleFlush() }
            if !plaintext.isEmpty { plaintext.withUnsafeMutableBytes { onRead?($0) } }
        } else if count > 0, let base {
            onRead?(UnsafeMutableRawBufferPointer(start: base, count: count))
        } else if count == Int(UV_EOF.rawValue) {
            closeNow(error: nil)
        } else if count < 0 {
            closeNow(error: LoopError(code: Int32(count)))
        }
        // count == 0 is libuv's EAGAIN: nothing to do.
    }

    // MARK: Closing

    /// Closes now; queued writes are dropped and in-flight ones cancelled.
    /// `onClose(nil)` follows from the close callback. Idempotent, and safe
    /// inside `onRead`.
    public func close() {
        closeNow(error: nil)
    }

    /// True once the connection no longer accepts writes: after `close()`,
    /// `closeAfterFlush()`, or an error or end of stream from the peer.
    public var isClosed: Bool {
        state != .open
    }

    func closeNow(error: LoopError?) {
        loop.assertOnLoopThread()
        guard state == .open || state == .draining else { return }
        state = .closing
        closeError = error
        queued.removeAll()
        queuedBytes = 0
        LoopHandle.close(handle)
    }

    func handleDidClose() {
        state = .closed
        lingerTimer?.close()
        lingerTimer = nil
        let onClose = self.onClose
        self.onClose = nil
        self.onRead = nil
        onClose?(closeError)
    }

    // MARK: Socket options and addresses

    /// Disables (true) or enables Nagle's algorithm.
    public func setNoDelay(_ enabled: Bool) {
        guard state == .open || state == .draining else { return }
        uv_tcp_nodelay(handle, enabled ? 1 : 0)
    }

    /// The peer's numeric IP address (no port), or nil once closed.
    public var peerAddress: String? {
        peerSocketAddress?.host
    }

    /// The peer's port, or nil once closed.
    public var peerPort: Int? {
        peerSocketAddress?.port
    }

    private var peerSocketAddress: SocketAddress? {
        guard state == .open || state == .draining else { return nil }
        return try? SocketAddress { uv_tcp_getpeername(handle, $0, $1) }
    }
}
