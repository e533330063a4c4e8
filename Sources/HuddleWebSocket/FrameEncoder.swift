/// Builds frames. Servers send unmasked frames; clients pass a `maskKey`.
public enum FrameEncoder {
    private static let finBit: UInt8 = 0x80
    private static let maskBit: UInt8 = 0x80
    private static let max7BitLength = 125
    private static let length16Marker: UInt8 = 126
    private static let length64Marker: UInt8 = 127
    private static let maskKeySize = 4
    /// A close payload is a 2-byte code and a reason, within the 125-byte
    /// control frame limit.
    private static let maxCloseReasonBytes = FrameHeader.maxControlPayload - 2

    /// One frame carrying `payload`, FIN set unless `fin` is false.
    /// `maskKey` is the masking key read as a big-endian number (its first
    /// byte on the wire is the key's most significant byte).
    public static func frame(_ opcode: Opcode, payload: UnsafeRawBufferPointer,
                             maskKey: UInt32? = nil, fin: Bool = true) -> [UInt8] {
        let length = payload.count
        let extendedLengthSize = length <= max7BitLength ? 0 : length <= Int(UInt16.max) ? 2 : 8
        let headerSize = 2 + extendedLengthSize + (maskKey == nil ? 0 : maskKeySize)
        return [UInt8](unsafeUninitializedCapacity: headerSize + length) { buffer, initialized in
            buffer[0] = (fin ? finBit : 0) | opcode.rawValue
            let maskFlag = maskKey == nil ? 0 : maskBit
            switch extendedLengthSize {
            case 0:
                buffer[1] = maskFlag | UInt8(length)
            case 2:
                buffer[1] = maskFlag | length16Marker
                buffer[2] = UInt8(length >> 8)
                buffer[3] = UInt8(length & 0xFF)
            default:
                buffer[1] = maskFlag | length64Marker
                for index in 0..<8 {
                    buffer[2 + index] = UInt8(truncatingIfNeeded: UInt64(length) >> (56 - 8 * index))
                }
            }
            var cursor = 2 + extendedLengthSize
            if let maskKey {
                for index in 0..<maskKeySize {
                    buffer[cursor + index] = UInt8(truncatingIfNeeded: maskKey >> (24 - 8 * index))
                }
                cursor += maskKeySize
            }
            let body = UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[cursor...])
            if length > 0 {
                body.copyMemory(from: payload)
            }
            if let maskKey {
                FrameMask(key: maskKey).apply(to: body, phase: 0)
            }
            initialized = headerSize + length
        }
    }

    /// One frame carrying `payload`, FIN set unless `fin` is false.
    public static func frame(_ opcode: Opcode, payload: [UInt8],
                             maskKey: UInt32? = nil, fin: Bool = true) -> [UInt8] {
        payload.withUnsafeBytes { frame(opcode, payload: $0, maskKey: maskKey, fin: fin) }
    }

    /// The payload of a close frame: the code, big-endian, then `reason`
    /// cut at a character boundary to fit the 125-byte control frame limit.
    public static func closePayload(_ code: CloseCode, reason: String = "") -> [UInt8] {
        let reasonBytes = Array(reason.utf8)
        var cut = min(reasonBytes.count, maxCloseReasonBytes)
        // Step back off continuation bytes so no character is split.
        while cut < reasonBytes.count && reasonBytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        var payload: [UInt8] = [UInt8(code.rawValue >> 8), UInt8(code.rawValue & 0xFF)]
        payload.append(contentsOf: reasonBytes[..<cut])
        return payload
    }
}
