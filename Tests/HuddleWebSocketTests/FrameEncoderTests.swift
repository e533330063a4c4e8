import HuddleWebSocket
import Testing

@Test func unmaskedTextMatchesRFCExample() {
    #expect(FrameEncoder.frame(.text, payload: Array("Hello".utf8)) == [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
}

@Test func maskedTextMatchesRFCExample() {
    #expect(FrameEncoder.frame(.text, payload: Array("Hello".utf8), maskKey: sampleMaskKey)
        == [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
}

@Test func payloadOf256BytesUsesA16BitLength() {
    let frame = FrameEncoder.frame(.binary, payload: [UInt8](repeating: 0, count: 256))
    #expect(Array(frame.prefix(4)) == [0x82, 0x7E, 0x01, 0x00])
    #expect(frame.count == 4 + 256)
}

@Test func payloadOf64KiBUsesA64BitLength() {
    let frame = FrameEncoder.frame(.binary, payload: [UInt8](repeating: 0, count: 65536))
    #expect(Array(frame.prefix(10)) == [0x82, 0x7F, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00])
}

@Test func nonFinalFrameHasFinBitClear() {
    #expect(FrameEncoder.frame(.text, payload: Array("a".utf8), fin: false).first == 0x01)
}

@Test func closePayloadIsBigEndianCodeThenReason() {
    #expect(FrameEncoder.closePayload(.messageTooBig, reason: "big") == [0x03, 0xF1] + Array("big".utf8))
}

@Test func closeReasonIsCutAtACharacterBoundaryToFitAControlFrame() {
    let payload = FrameEncoder.closePayload(.normal, reason: String(repeating: "é", count: 100))
    #expect(payload.count == 2 + 122)  // 61 two-byte characters; the 62nd would cross 123 bytes
    #expect(String(validating: payload.dropFirst(2), as: UTF8.self) == String(repeating: "é", count: 61))
}
