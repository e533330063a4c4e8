/// Immutable bytes at a stable address, shared by any number of writes.
///
/// A broadcast frame is encoded once into one `OutboundBuffer` and written to
/// every recipient; each connection's queue and in-flight write request hold
/// a reference, so the bytes stay put until the last write completes.
public final class OutboundBuffer: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    /// Number of bytes.
    public let count: Int

    /// Copies `bytes` into a new buffer.
    public init(_ bytes: [UInt8]) {
        count = bytes.count
        base = .allocate(byteCount: max(count, 1), alignment: 1)
        bytes.withUnsafeBytes { source in
            if let address = source.baseAddress {
                base.copyMemory(from: address, byteCount: count)
            }
        }
    }

    /// Allocates `count` bytes and lets `fill` write all of them, so an
    /// encoder can produce a frame in place without an intermediate array.
    public init(count: Int, fill: (UnsafeMutableRawBufferPointer) -> Void) {
        precondition(count >= 0, "OutboundBuffer count must not be negative")
        self.count = count
        base = .allocate(byteCount: max(count, 1), alignment: 1)
        fill(UnsafeMutableRawBufferPointer(start: base, count: count))
    }

    deinit {
        base.deallocate()
    }

    /// Read access to the bytes.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}
