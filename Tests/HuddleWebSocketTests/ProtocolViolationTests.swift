import HuddleWebSocket
import Testing

// Each rule of RFC 6455 §5 / PROTOCOL.md §2 that fails the connection, with
// the close code it must produce.

private func closeCode(of stream: [UInt8], role: Role = .server, maxMessageBytes: Int = 1 << 20) -> UInt16? {
    readAll(stream, role: role, maxMessageBytes: maxMessageBytes).error?.closeCode.rawValue
}

@Test(arguments: [UInt8(0x40), 0x20, 0x10])
func reservedBitClosesWith1002(bit: UInt8) {
    var frame = clientFrame(.text, "a")
    frame[0] |= bit
    #expect(closeCode(of: frame) == 1002)
}

@Test(arguments: [UInt8(3), 4, 5, 6, 7, 11, 12, 13, 14, 15])
func reservedOpcodeClosesWith1002(opcode: UInt8) {
    var frame = clientFrame(.binary, "a")
    frame[0] = 0x80 | opcode
    #expect(closeCode(of: frame) == 1002)
}

@Test func unmaskedFrameToServerClosesWith1002() {
    #expect(closeCode(of: FrameEncoder.frame(.text, payload: Array("a".utf8))) == 1002)
}

@Test func maskedFrameToClientClosesWith1002() {
    #expect(closeCode(of: clientFrame(.text, "a"), role: .client) == 1002)
}

@Test func controlPayloadOver125ClosesWith1002() {
    #expect(closeCode(of: clientFrame(.ping, [UInt8](repeating: 1, count: 126))) == 1002)
}

@Test func controlPayloadOf125IsAccepted() {
    let payload = [UInt8](repeating: 1, count: 125)
    #expect(readAll(clientFrame(.ping, payload)).messages == [.ping(payload)])
}

@Test(arguments: [Opcode.ping, .pong, .close])
func fragmentedControlFrameClosesWith1002(opcode: Opcode) {
    #expect(closeCode(of: clientFrame(opcode, [], fin: false)) == 1002)
}

@Test func continuationWithoutMessageClosesWith1002() {
    #expect(closeCode(of: clientFrame(.continuation, "a")) == 1002)
}

@Test(arguments: [Opcode.text, .binary])
func newDataFrameInsideFragmentedMessageClosesWith1002(opcode: Opcode) {
    let stream = clientFrame(.text, "a", fin: false) + clientFrame(opcode, "b")
    #expect(closeCode(of: stream) == 1002)
}

@Test func sixtyFourBitLengthWithTopBitClosesWith1002() {
    // The error needs only the first byte of the length: no more is sent.
    #expect(closeCode(of: [0x82, 0xFF, 0x80]) == 1002)
}

@Test func closeWithOneBytePayloadClosesWith1002() {
    #expect(closeCode(of: clientFrame(.close, [0x03])) == 1002)
}

@Test(arguments: [UInt16(0), 999, 1004, 1005, 1006, 1012, 1015, 1016, 2000, 2999, 5000, 65535])
func closeWithCodeNotAllowedOnTheWireClosesWith1002(code: UInt16) {
    let payload = [UInt8(code >> 8), UInt8(code & 0xFF)]
    #expect(closeCode(of: clientFrame(.close, payload)) == 1002)
}

@Test func closeWithInvalidUTF8ReasonClosesWith1007() {
    #expect(closeCode(of: clientFrame(.close, [0x03, 0xE8, 0xFF])) == 1007)
}

@Test func textWithInvalidUTF8ClosesWith1007() {
    #expect(closeCode(of: clientFrame(.text, [0x61, 0xC0, 0x80])) == 1007)
}

@Test func textEndingInsideAUTF8SequenceClosesWith1007() {
    #expect(closeCode(of: clientFrame(.text, [0x61, 0xE2, 0x82])) == 1007)
}

@Test func fragmentedTextEndingInsideAUTF8SequenceClosesWith1007() {
    let stream = clientFrame(.text, [0x61], fin: false) + clientFrame(.continuation, [0xE2, 0x82])
    #expect(closeCode(of: stream) == 1007)
}

@Test func messageOverLimitClosesWith1009() {
    #expect(closeCode(of: clientFrame(.binary, [UInt8](repeating: 0, count: 11)), maxMessageBytes: 10) == 1009)
}

@Test func messageAtLimitIsAccepted() {
    let payload = [UInt8](repeating: 7, count: 10)
    #expect(readAll(clientFrame(.binary, payload), maxMessageBytes: 10).messages == [.binary(payload)])
}

@Test func fragmentsSummingOverLimitCloseWith1009() {
    let stream = clientFrame(.text, "abcdef", fin: false) + clientFrame(.continuation, "ghijk")
    #expect(closeCode(of: stream, maxMessageBytes: 10) == 1009)
}

@Test func oversizedMessageFailsOnItsDeclaredLength() {
    // Only the header of a 1 MiB frame arrives; its length alone is enough.
    let header = Array(clientFrame(.binary, [UInt8](repeating: 0, count: 1 << 20)).prefix(14))
    #expect(closeCode(of: header, maxMessageBytes: 65536) == 1009)
}

@Test func controlFramesDoNotCountTowardsMessageLimit() {
    let stream = clientFrame(.text, "abcde", fin: false) + clientFrame(.ping, "0123456789")
        + clientFrame(.continuation, "fghij")
    #expect(readAll(stream, maxMessageBytes: 10).messages == [.ping(Array("0123456789".utf8)), .text("abcdefghij")])
}

@Test func readerStaysFailedAfterAnError() throws {
    var reader = MessageReader(role: .server, maxMessageBytes: 100)
    var bad = clientFrame(.continuation, "a")
    var good = clientFrame(.text, "a")
    let first = #expect(throws: WebSocketProtocolError.self) {
        try bad.withUnsafeMutableBytes { try reader.read($0) { _ in } }
    }
    let second = #expect(throws: WebSocketProtocolError.self) {
        try good.withUnsafeMutableBytes { try reader.read($0) { _ in Issue.record("delivered after failure") } }
    }
    #expect(first != nil && first == second)
}

/// Found by scripts/fuzz frame-reader: a text frame that ends inside a UTF-8
/// sequence closed with a different reason when it arrived whole than when it
/// arrived in pieces.
@Test func fuzzTruncatedUTF8GivesTheSameCloseReasonWholeOrSplit() {
    let frame = clientFrame(.text, [0x61, 0xE2, 0x82])
    let whole = readAll(frame).error
    let split = readChunks(frame.map { [$0] }).error
    #expect(whole == split)
    #expect(whole?.reason == "text message ends inside a UTF-8 sequence")
}
