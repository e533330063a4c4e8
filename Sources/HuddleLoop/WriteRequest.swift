import CUV

/// A `uv_write_t` and the buffers it points into, kept alive together until
/// libuv calls the write callback (which it does even when the handle is
/// closed first, with `UV_ECANCELED`).
final class WriteRequest {
    let request: UnsafeMutablePointer<uv_write_t>
    let byteCount: Int
    /// Held only to keep the bytes alive while libuv writes them.
    private let buffers: [OutboundBuffer]

    init(buffers: [OutboundBuffer], byteCount: Int) {
        self.buffers = buffers
        self.byteCount = byteCount
        request = .allocate(capacity: 1)
        request.pointee.data = Unmanaged.passRetained(self).toOpaque()
    }

    deinit {
        request.deallocate()
    }

    /// Takes back the reference retained at creation, from the write callback.
    static func complete(_ request: UnsafeMutablePointer<uv_write_t>?) -> WriteRequest? {
        guard let data = request?.pointee.data else { return nil }
        return Unmanaged<WriteRequest>.fromOpaque(data).takeRetainedValue()
    }

    /// Releases a request libuv refused, so its callback will never run.
    func abandon() {
        Unmanaged.passUnretained(self).release()
    }
}
