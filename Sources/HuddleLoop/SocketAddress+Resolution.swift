import CUV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Host names go through libuv's getaddrinfo; numeric hosts never do.
extension SocketAddress {
    /// Resolves `host` on the calling thread (see `init(preferringIPv4:)`). For binding at startup, where
    /// blocking on a name lookup is acceptable.
    static func resolveBlocking(host: String, port: Int, loop: EventLoop) throws(LoopError) -> SocketAddress {
        try checkPort(port)
        if let numeric = try? SocketAddress(numericHost: host, port: port) {
            return numeric
        }
        var request = uv_getaddrinfo_t()
        var hints = streamHints
        // A nil callback makes uv_getaddrinfo synchronous.
        try LoopError.check(uv_getaddrinfo(loop.uvLoop, &request, nil, host, String(port), &hints))
        defer { uv_freeaddrinfo(request.addrinfo) }
        guard let first = request.addrinfo else {
            throw LoopError(code: UV_EAI_NONAME.rawValue)
        }
        return SocketAddress(preferringIPv4: first)
    }

    /// Resolves `host` on libuv's thread pool and calls `completion` on the
    /// loop; a numeric host completes at once, without a lookup.
    static func resolve(host: String, port: Int, loop: EventLoop,
                        completion: @escaping (Result<SocketAddress, LoopError>) -> Void) {
        do throws(LoopError) {
            try checkPort(port)
        } catch {
            completion(.failure(error))
            return
        }
        if let numeric = try? SocketAddress(numericHost: host, port: port) {
            completion(.success(numeric))
            return
        }
        let request = UnsafeMutablePointer<uv_getaddrinfo_t>.allocate(capacity: 1)
        request.pointee.data = PendingCompletion.retained(completion)
        var hints = streamHints
        let status = uv_getaddrinfo(loop.uvLoop, request, { request, status, info in
            guard let request else { return }
            let completion = PendingCompletion<SocketAddress>.take(request.pointee.data)
            request.deallocate()
            defer { uv_freeaddrinfo(info) }
            if status < 0 {
                completion(.failure(LoopError(code: status)))
            } else if let info {
                completion(.success(SocketAddress(preferringIPv4: info)))
            } else {
                completion(.failure(LoopError(code: UV_EAI_NONAME.rawValue)))
            }
        }, host, String(port), &hints)
        if status < 0 {
            _ = PendingCompletion<SocketAddress>.take(request.pointee.data)
            request.deallocate()
            completion(.failure(LoopError(code: status)))
        }
    }

    private static var streamHints: addrinfo {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        return hints
    }
}
