/// The fixed part of a frame (RFC 6455 §5.2), checked against the rules that
/// need no knowledge of earlier frames.
struct FrameHeader {
    // Wide fields first: a pending frame is part of every connection's reader.
    let payloadLength: Int
    /// Bytes from the frame's first byte to its payload.
    let length: Int
    let mask: FrameMask?
    let fin: Bool
    let opcode: Opcode

    static let maxControlPayload = 125
    private static let finBit: UInt8 = 0x80
    private static let reservedBits: UInt8 = 0x70
    private static let opcodeBits: UInt8 = 0x0F
    private static let maskBit: UInt8 = 0x80
    private static let lengthBits: UInt8 = 0x7F
    private static let length16Marker: UInt8 = 126
    private static let length64Marker: UInt8 = 127
    private static let maskKeySize = 4

    /// Parses the header at the start of `bytes`. Returns nil when `bytes`
    /// holds only part of it; throws as soon as the bytes present break a rule,
    /// so a bad first byte fails the connection without waiting for more.
    static func parse(_ bytes: UnsafeRawBufferPointer, role: Role) throws(WebSocketProtocolError) -> FrameHeader? {
        guard bytes.count >= 2 else { return nil }
        let first = bytes[0]
        let second = bytes[1]
        if first & reservedBits != 0 {
            throw WebSocketProtocolError(.protocolError, "reserved bits set without an extension")
        }
        guard let opcode = Opcode(rawValue: first & opcodeBits) else {
            throw WebSocketProtocolError(.protocolError, "reserved opcode \(first & opcodeBits)")
        }
        let fin = first & finBit != 0
        if opcode.isControl && !fin {
            throw WebSocketProtocolError(.protocolError, "fragmented control frame")
        }
        let masked = second & maskBit != 0
        switch (role, masked) {
        case (.server, false): throw WebSocketProtocolError(.protocolError, "unmasked client frame")
        case (.client, true): throw WebSocketProtocolError(.protocolError, "masked server frame")
        default: break
        }
        let lengthField = second & lengthBits
        let extendedLengthSize = lengthField == length64Marker ? 8 : lengthField == length16Marker ? 2 : 0
        let length = 2 + extendedLengthSize + (masked ? maskKeySize : 0)
        if extendedLengthSize == 8 && bytes.count >= 3 && bytes[2] & 0x80 != 0 {
            throw WebSocketProtocolError(.protocolError, "64-bit payload length with the top bit set")
        }
        guard bytes.count >= length else { return nil }

        var payloadLength = 0
        if extendedLengthSize == 0 {
            payloadLength = Int(lengthField)
        } else {
            // Non-minimal encodings are accepted, as most peers do.
            for index in 2..<(2 + extendedLengthSize) {
                payloadLength = payloadLength << 8 | Int(bytes[index])
            }
        }
        if opcode.isControl && payloadLength > maxControlPayload {
            throw WebSocketProtocolError(.protocolError, "control frame payload over \(maxControlPayload) bytes")
        }
        let mask = masked ? FrameMask(loadingFrom: bytes.baseAddress! + 2 + extendedLengthSize) : nil
        return FrameHeader(payloadLength: payloadLength, length: length, mask: mask, fin: fin, opcode: opcode)
    }
}
