#if canImport(Glibc)
import Glibc
private let streamSocketType = Int32(SOCK_STREAM.rawValue)
private let sendFlags = Int32(MSG_NOSIGNAL)  // a write to a closed peer must not kill the test run
#elseif canImport(Darwin)
import Darwin
private let streamSocketType = SOCK_STREAM
private let sendFlags: Int32 = 0
#endif

/// A blocking TCP connection to a loopback port, with deadlines on reads.
final class TestSocket {
    private var descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { disconnect() }

    static func open(port: Int) throws -> TestSocket {
        let descriptor = socket(AF_INET, streamSocketType, 0)
        guard descriptor >= 0 else { throw TestClientError.socket(call: "socket", errno: errno) }
        let socket = TestSocket(descriptor: descriptor)
        var enabled: Int32 = 1
        // Small frames must leave at once: Nagle would add delays to every test.
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &enabled, socklen_t(MemoryLayout<Int32>.size))
        #if canImport(Darwin)
        setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &enabled, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { throw TestClientError.socket(call: "connect to 127.0.0.1:\(port)", errno: errno) }
        return socket
    }

    var isOpen: Bool { descriptor >= 0 }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                send(descriptor, $0.baseAddress! + offset, $0.count - offset, sendFlags)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw TestClientError.socket(call: "send", errno: errno)
            }
            offset += written
        }
    }

    /// Reads what is available into `buffer`, waiting until `deadline`.
    /// Returns the byte count (0 at end of stream), or nil if the deadline passed.
    func read(into buffer: inout [UInt8], deadline: ContinuousClock.Instant) throws -> Int? {
        while true {
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&request, 1, Self.milliseconds(until: deadline))
            if ready < 0 {
                if errno == EINTR { continue }
                throw TestClientError.socket(call: "poll", errno: errno)
            }
            if ready == 0 { return nil }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                // A reset counts as the end of the stream, as a test sees it.
                if errno == ECONNRESET { return 0 }
                throw TestClientError.socket(call: "recv", errno: errno)
            }
            return count
        }
    }

    func disconnect() {
        guard descriptor >= 0 else { return }
        _ = close(descriptor)
        descriptor = -1
    }

    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let remaining = ContinuousClock.now.duration(to: deadline)
        if remaining <= .zero { return 0 }
        let (seconds, attoseconds) = remaining.components
        return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
    }
}

extension ContinuousClock.Instant {
    /// `seconds` from now, as the test clients take their timeouts.
    static func after(seconds: Double) -> ContinuousClock.Instant {
        .now + .milliseconds(Int((seconds * 1000).rounded()))
    }
}
