/// A 4-byte masking key (RFC 6455 §5.3), stored so that its in-memory bytes
/// are the key's bytes in wire order.
struct FrameMask {
    private let wireOrderBytes: UInt32

    /// `key` as a number whose big-endian bytes are the key on the wire.
    init(key: UInt32) { wireOrderBytes = key.bigEndian }

    /// Reads the key from the four bytes that follow a frame's length.
    init(loadingFrom pointer: UnsafeRawPointer) {
        wireOrderBytes = pointer.loadUnaligned(as: UInt32.self)
    }

    /// XORs `buffer` in place with the key; `phase` is how many payload bytes
    /// precede `buffer` in its frame (a payload may arrive in several chunks).
    /// Returns the phase for the chunk that follows.
    @discardableResult
    func apply(to buffer: UnsafeMutableRawBufferPointer, phase: Int) -> Int {
        guard let base = buffer.baseAddress else { return phase }
        var rotated: UInt32 = 0
        withUnsafeBytes(of: wireOrderBytes) { key in
            withUnsafeMutableBytes(of: &rotated) { out in
                for index in 0..<4 { out[index] = key[(index + phase) & 3] }
            }
        }
        let word = UInt64(rotated) | UInt64(rotated) << 32
        let count = buffer.count
        var index = 0
        while index + 8 <= count {
            let value = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            base.storeBytes(of: value ^ word, toByteOffset: index, as: UInt64.self)
            index += 8
        }
        withUnsafeBytes(of: rotated) { key in
            while index < count {
                buffer[index] ^= key[index & 3]
                index += 1
            }
        }
        return (phase + count) & 3
    }
}
