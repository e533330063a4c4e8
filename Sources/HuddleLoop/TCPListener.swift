import CUV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C `close`, which the listener's own `close()` would shadow.
private let closeDescriptor: (Int32) -> Int32 = close

/// A listening TCP socket that hands each accepted connection to `onAccept`.
///
/// It accepts by itself (a libuv poll handle on the listening socket) rather
/// than through `uv_listen`, because libuv handles running out of descriptors
/// silently: it drops the waiting peers and never tells its caller. Here the
/// caller hears of every such episode (`onAcceptError`), and the listener
/// keeps one spare descriptor to do the same shedding: when `accept` fails
/// with EMFILE or ENFILE, the spare is closed, every waiting peer is accepted
/// and closed at once (a clean refusal instead of a listen queue that fills
/// and makes clients time out), and the spare is taken again. Accepting
/// resumes by itself as soon as descriptors are free.
public final class TCPListener: LoopHandleOwner {
    private let loop: EventLoop
    private let handle: UnsafeMutablePointer<uv_poll_t>
    private let descriptor: Int32
    private var spareDescriptor: Int32
    private var onAccept: ((TCPConnection) -> Void)?
    private var isClosing = false
    /// The bound port; the one the kernel chose when asked for port 0.
    public let port: Int
    /// Called when `accept` fails for want of descriptors (EMFILE, ENFILE),
    /// once per episode, after the waiting peers were shed: the error and
    /// how many peers were refused (the one that hit the limit included).
    public var onAcceptError: ((LoopError, _ refused: Int) -> Void)?

    /// The listen queue asked for; the kernel caps it at `net.core.somaxconn`
    /// (4096 on Debian 12). A reconnect storm arrives in bursts larger than
    /// one loop turn takes in, and a peer the queue has no room for waits a
    /// whole SYN retransmission (1 s) before it tries again.
    public static let defaultBacklog: Int32 = 4096

    /// Binds to `host` and `port` and listens. Port 0 picks any free port.
    /// A host name (rather than an IP address) is looked up on this thread. New connections arrive not yet reading:
    /// set `onRead`/`onClose`, then call `startReading()`.
    public init(loop: EventLoop, host: String, port: Int, backlog: Int32 = TCPListener.defaultBacklog,
                onAccept: @escaping (TCPConnection) -> Void) throws(LoopError) {
        let address = try SocketAddress.resolveBlocking(host: host, port: port, loop: loop)
        let descriptor = try Self.listeningSocket(at: address, backlog: backlog)
        let handle = LoopHandle.allocate(UV_POLL, as: uv_poll_t.self)
        do {
            self.port = try SocketAddress { sockaddr, length in
                var size = socklen_t(length.pointee)
                defer { length.pointee = Int32(size) }
                return getsockname(descriptor, sockaddr, &size) == 0 ? 0 : -errno
            }.port
            try LoopError.check(uv_poll_init_socket(loop.uvLoop, handle, descriptor))
        } catch {
            LoopHandle.deallocateUninitialized(handle)
            _ = closeDescriptor(descriptor)
            throw error
        }
        self.loop = loop
        self.handle = handle
        self.descriptor = descriptor
        self.onAccept = onAccept
        spareDescriptor = Self.openSpare()
        LoopHandle.attach(self, to: handle)
        _ = uv_poll_start(handle, Int32(UV_READABLE.rawValue)) { handle, status, _ in
            LoopHandle.owner(of: handle, as: TCPListener.self)?.acceptWaiting(status: status)
        }
    }

    /// A non-blocking socket bound to `address` and listening.
    private static func listeningSocket(at address: SocketAddress, backlog: Int32) throws(LoopError) -> Int32 {
        let family = Int32(address.storage.ss_family)
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw LoopError(code: -errno) }
        var enabled: Int32 = 1
        // As libuv does: a restarted server can bind while old connections linger in TIME_WAIT.
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &enabled, socklen_t(MemoryLayout<Int32>.size))
        let length = socklen_t(family == AF_INET6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
        let bound = address.withSockaddr { bind(descriptor, $0, length) }
        guard bound == 0, listen(descriptor, backlog) == 0 else {
            let error = LoopError(code: -errno)
            _ = closeDescriptor(descriptor)
            throw error
        }
        return descriptor
    }

    private static func openSpare() -> Int32 {
        open("/dev/null", O_RDONLY | O_CLOEXEC)
    }

    // MARK: Accepting

    /// Accepts the peers waiting now, between the loop's own polls: a caller
    /// busy for a long loop turn (a storm of handshakes) calls it now and then
    /// so the kernel's listen queue, capped by `net.core.somaxconn`, does not
    /// overflow meanwhile and drop handshakes (each costs its peer a 1 s SYN
    /// retransmission). Costs one `accept` call when nobody waits.
    public func acceptPending() {
        acceptWaiting(status: 0)
    }

    private func acceptWaiting(status: Int32) {
        guard status == 0, !isClosing else { return }
        while !isClosing {
            // accept4 is not visible to Swift; uv_tcp_open makes the socket non-blocking.
            let accepted = accept(descriptor, nil, nil)
            if accepted >= 0 {
                _ = fcntl(accepted, F_SETFD, FD_CLOEXEC)
                hand(accepted)
                continue
            }
            switch errno {
            case EINTR, ECONNABORTED:
                continue
            case EMFILE, ENFILE:
                let error = LoopError(code: -errno)
                onAcceptError?(error, shedWaitingPeers())
                return
            default:
                // EAGAIN: nothing more waits. Anything else concerns one peer.
                return
            }
        }
    }

    private func hand(_ accepted: Int32) {
        guard let connection = try? TCPConnection(loop: loop) else {
            _ = closeDescriptor(accepted)
            return
        }
        guard uv_tcp_open(connection.handle, accepted) == 0 else {
            _ = closeDescriptor(accepted)
            connection.close()
            return
        }
        onAccept?(connection)
    }

    /// Out of descriptors: frees the spare to accept and close every waiting
    /// peer; returns how many there were.
    private func shedWaitingPeers() -> Int {
        if spareDescriptor >= 0 { _ = closeDescriptor(spareDescriptor) }
        var refused = 0
        while true {
            let accepted = accept(descriptor, nil, nil)
            if accepted >= 0 {
                _ = closeDescriptor(accepted)
                refused += 1
            } else if errno != EINTR {
                break
            }
        }
        spareDescriptor = Self.openSpare()
        return refused
    }

    // MARK: Closing

    /// Stops accepting and closes the socket. Idempotent.
    public func close() {
        guard !isClosing else { return }
        isClosing = true
        LoopHandle.close(handle)
        // Closing the poll handle stops polling at once, so the socket can go
        // now: a peer connecting from here on is refused, as after uv_close.
        _ = closeDescriptor(descriptor)
        if spareDescriptor >= 0 { _ = closeDescriptor(spareDescriptor) }
    }

    func handleDidClose() {
        onAccept = nil
        onAcceptError = nil
    }
}
