import CUV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 socket address in the form libuv's TCP calls take.
struct SocketAddress {
    private(set) var storage = sockaddr_storage()

    /// Parses a numeric host (`127.0.0.1`, `0.0.0.0`, `::1`, `::`); host
    /// names are not resolved here, so binding and connecting never block
    /// the loop on DNS. `localhost` is accepted as the IPv4 loopback.
    init(host: String, port: Int) throws(LoopError) {
        guard (0...Int(UInt16.max)).contains(port) else {
            throw LoopError(code: UV_EINVAL.rawValue)
        }
        let numericHost = host == "localhost" ? "127.0.0.1" : host
        let status = withUnsafeMutableBytes(of: &storage) { raw -> Int32 in
            let ipv4 = raw.baseAddress!.assumingMemoryBound(to: sockaddr_in.self)
            if uv_ip4_addr(numericHost, Int32(port), ipv4) == 0 { return 0 }
            let ipv6 = raw.baseAddress!.assumingMemoryBound(to: sockaddr_in6.self)
            return uv_ip6_addr(numericHost, Int32(port), ipv6)
        }
        try LoopError.check(status)
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
