import CUV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 socket address in the form libuv's TCP calls take.
struct SocketAddress {
    private(set) var storage = sockaddr_storage()

    /// Parses a numeric host (`127.0.0.1`, `0.0.0.0`, `::1`, `::`).
    init(numericHost host: String, port: Int) throws(LoopError) {
        try Self.checkPort(port)
        let status = withUnsafeMutableBytes(of: &storage) { raw -> Int32 in
            let ipv4 = raw.baseAddress!.assumingMemoryBound(to: sockaddr_in.self)
            if uv_ip4_addr(host, Int32(port), ipv4) == 0 { return 0 }
            let ipv6 = raw.baseAddress!.assumingMemoryBound(to: sockaddr_in6.self)
            return uv_ip6_addr(host, Int32(port), ipv6)
        }
        try LoopError.check(status)
    }

    /// Throws `EINVAL` unless `port` fits in 16 bits.
    static func checkPort(_ port: Int) throws(LoopError) {
        guard (0...Int(UInt16.max)).contains(port) else {
            throw LoopError(code: UV_EINVAL.rawValue)
        }
    }

    /// Picks from a getaddrinfo result list: the first IPv4 address if there
    /// is one, so `localhost` means 127.0.0.1 for listeners and clients
    /// alike, else the first address.
    init(preferringIPv4 list: UnsafePointer<addrinfo>) {
        var candidate: UnsafePointer<addrinfo>? = list
        while let current = candidate, current.pointee.ai_family != AF_INET {
            candidate = UnsafePointer(current.pointee.ai_next)
        }
        let info = candidate ?? list
        let length = min(Int(info.pointee.ai_addrlen), MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutableBytes(of: &storage) { raw in
            raw.baseAddress!.copyMemory(from: info.pointee.ai_addr, byteCount: length)
        }
    }

    /// Reads an address filled in by `uv_tcp_getsockname`/`uv_tcp_getpeername`.
    init(filling: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<Int32>) -> Int32) throws(LoopError) {
        var length = Int32(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutableBytes(of: &storage) { raw in
            filling(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length)
        }
        try LoopError.check(status)
    }

    func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>) -> Result) -> Result {
        withUnsafeBytes(of: storage) { raw in
            body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self))
        }
    }

    var port: Int {
        withUnsafeBytes(of: storage) { raw -> Int in
            switch Int32(storage.ss_family) {
            case AF_INET: Int(UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port))
            case AF_INET6: Int(UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port))
            default: 0
            }
        }
    }

    /// The numeric host, without the port.
    var host: String? {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let status = withSockaddr { uv_ip_name($0, &text, text.count) }
        guard status == 0 else { return nil }
        return String(cString: text)
    }
}
