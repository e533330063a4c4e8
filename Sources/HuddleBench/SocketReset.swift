import Foundation

/// Makes the next close of this process's connections to the server a TCP
/// reset, as when a node dies, rather than an orderly FIN: SO_LINGER with a
/// zero timeout, which is what libuv's `uv_tcp_close_reset` sets too. The
/// loop's connections do not expose their sockets, so the sockets are found
/// among this process's descriptors by their peer's port.
enum SocketReset {
    /// Arms every connected TCP socket whose peer port is in `peerPorts`;
    /// returns how many were armed.
    static func armAll(peerPorts: Set<Int>) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return 0 }
        var armed = 0
        for name in names {
            guard let descriptor = Int32(name), let port = peerPort(of: descriptor), peerPorts.contains(port) else { continue }
            var option = linger(l_onoff: 1, l_linger: 0)
            if setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size)) == 0 { armed += 1 }
        }
        return armed
    }

    /// The peer port of a connected IPv4 or IPv6 stream socket.
    private static func peerPort(of descriptor: Int32) -> Int? {
        var type: Int32 = 0
        var typeLength = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_TYPE, &type, &typeLength) == 0, type == Int32(SOCK_STREAM.rawValue) else { return nil }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(descriptor, $0, &length) }
        }
        guard status == 0 else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) } }
        case AF_INET6:
            return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) } }
        default:
            return nil
        }
    }
}
