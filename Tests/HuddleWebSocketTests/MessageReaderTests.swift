import HuddleWebSocket
import Testing

@Test func maskedTextFrameFromRFCExampleReadsAsHello() {
    let frame: [UInt8] = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
    #expect(readAll(frame).messages == [.text("Hello")])
}

@Test(arguments: [0, 1, 125, 126, 65535, 65536, 200_000])
func payloadLengthsOfEveryEncodingRoundTrip(length: Int) {
    var generator = SeededGenerator(state: UInt64(length))
    let payload = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
    #expect(readAll(clientFrame(.binary, payload)).messages == [.binary(payload)])
}

@Test func nonMinimalLengthEncodingIsAccepted() {
    // "abc" with a 16-bit length field, unmasked, read by a client.
    let frame: [UInt8] = [0x81, 126, 0x00, 0x03] + Array("abc".utf8)
    #expect(readAll(frame, role: .client).messages == [.text("abc")])
    let frame64: [UInt8] = [0x81, 127, 0, 0, 0, 0, 0, 0, 0, 0x03] + Array("abc".utf8)
    #expect(readAll(frame64, role: .client).messages == [.text("abc")])
}

@Test func binaryMessageIsDelivered() {
    #expect(readAll(clientFrame(.binary, [0, 255, 7])).messages == [.binary([0, 255, 7])])
}

@Test func pingAndPongAreDelivered() {
    let stream = clientFrame(.ping, "p1") + clientFrame(.pong, "p2")
    #expect(readAll(stream).messages == [.ping(Array("p1".utf8)), .pong(Array("p2".utf8))])
}

@Test func closeFrameCarriesCodeAndReason() {
    let stream = clientFrame(.close, FrameEncoder.closePayload(.goingAway, reason: "bye ✓"))
    #expect(readAll(stream).messages == [.close(1001, "bye ✓")])
}

@Test func emptyCloseFrameHasNoCode() {
    #expect(readAll(clientFrame(.close, [])).messages == [.close(nil, "")])
}

@Test func fragmentedTextWithInterleavedPingIsReassembled() {
    let stream = clientFrame(.text, "Hel", fin: false) + clientFrame(.ping, "x")
        + clientFrame(.continuation, "lo, ", fin: false) + clientFrame(.continuation, "", fin: false)
        + clientFrame(.continuation, "wörld")
    #expect(readAll(stream).messages == [.ping(Array("x".utf8)), .text("Hello, wörld")])
}

@Test func fragmentedBinaryIsReassembled() {
    let stream = clientFrame(.binary, [1, 2], fin: false) + clientFrame(.continuation, [3])
    #expect(readAll(stream).messages == [.binary([1, 2, 3])])
}

@Test func utf8SequenceSplitAcrossFragmentsIsValid() {
    // "€" is E2 82 AC; the fragment boundary falls inside it.
    let stream = clientFrame(.text, [0xE2], fin: false) + clientFrame(.continuation, [0x82, 0xAC])
    #expect(readAll(stream).messages == [.text("€")])
}

@Test func manyFramesInOneReadAreAllDelivered() {
    let texts = (0..<1000).map { "message \($0)" }
    let stream = texts.flatMap { clientFrame(.text, $0) }
    #expect(readAll(stream).messages == texts.map(Delivered.text))
}

@Test func frameInsideOneReadIsDeliveredInPlace() throws {
    var reader = MessageReader(role: .server, maxMessageBytes: 1024)
    var stream = clientFrame(.text, "zero copy") + clientFrame(.binary, [1, 2, 3])
    var deliveredInside = 0
    try stream.withUnsafeMutableBytes { bytes in
        let range = UInt(bitPattern: bytes.baseAddress!)..<UInt(bitPattern: bytes.baseAddress! + bytes.count)
        try reader.read(bytes) { message in
            guard case .text(let payload) = message else {
                guard case .binary(let payload) = message else { return }
                if range.contains(UInt(bitPattern: payload.baseAddress!)) { deliveredInside += 1 }
                return
            }
            if range.contains(UInt(bitPattern: payload.baseAddress!)) { deliveredInside += 1 }
        }
    }
    #expect(deliveredInside == 2)
}

@Test func readerKnowsWhenStreamStopsAtFrameBoundary() throws {
    var reader = MessageReader(role: .server, maxMessageBytes: 1024)
    var first = Array(clientFrame(.text, "ab").prefix(3))
    try first.withUnsafeMutableBytes { try reader.read($0) { _ in } }
    #expect(!reader.isAtFrameBoundary)
    var rest = Array(clientFrame(.text, "ab").dropFirst(3))
    try rest.withUnsafeMutableBytes { try reader.read($0) { _ in } }
    #expect(reader.isAtFrameBoundary)
}

// MARK: UTF-8 fails fast

@Test func invalidUTF8FailsBeforeTheFrameIsComplete() {
    // A 100-byte text frame whose 6th byte is invalid; only 10 bytes arrive.
    var payload = [UInt8](repeating: 0x61, count: 100)
    payload[5] = 0xFF
    let frame = clientFrame(.text, payload)
    let headerLength = frame.count - payload.count
    let outcome = readAll(Array(frame.prefix(headerLength + 10)))
    #expect(outcome.error?.closeCode == .invalidPayload)
}

@Test func invalidUTF8InALaterFragmentFailsBeforeThatFragmentIsComplete() {
    // The first fragment ends inside "€"; the next one's first byte cannot continue it.
    let first = clientFrame(.text, [0x61, 0xE2, 0x82], fin: false)
    let second = clientFrame(.continuation, [0x41, 0x42, 0x43, 0x44])
    let outcome = readChunks([first, Array(second.dropLast(3))])
    #expect(outcome.error?.closeCode == .invalidPayload)
}

@Test func invalidUTF8SplitAcrossReadsFailsOnTheBadByte() {
    // An overlong "/" (C0 AF) cut between two reads, inside a frame still incomplete.
    let frame = clientFrame(.text, [0x61, 0xC0, 0xAF, 0x62, 0x63])
    let headerLength = frame.count - 5
    let outcome = readChunks([Array(frame.prefix(headerLength + 2)), [frame[headerLength + 2]]])
    #expect(outcome.error?.closeCode == .invalidPayload)
}

// MARK: Chunking

/// A stream exercising every path: whole frames, fragments with an interleaved
/// control frame, 16- and 64-bit lengths, multi-byte UTF-8 and a close.
private let mixedStream: [UInt8] = {
    let long = [UInt8]((0..<70_000).map { UInt8(truncatingIfNeeded: $0 * 7) })
    return clientFrame(.text, "héllo")
        + clientFrame(.text, "frag-€-", fin: false) + clientFrame(.ping, "mid")
        + clientFrame(.continuation, "mënt", fin: false) + clientFrame(.continuation, "-end")
        + clientFrame(.binary, [UInt8](repeating: 9, count: 300))
        + clientFrame(.binary, long)
        + clientFrame(.pong, [])
        + clientFrame(.close, FrameEncoder.closePayload(.normal, reason: "done"))
}()

private let mixedStreamMessages = readAll(mixedStream).messages

@Test func mixedStreamParsesAsExpected() {
    #expect(mixedStreamMessages.count == 7)
    #expect(mixedStreamMessages.first == .text("héllo"))
    #expect(mixedStreamMessages[1] == .ping(Array("mid".utf8)))
    #expect(mixedStreamMessages[2] == .text("frag-€-mënt-end"))
    #expect(mixedStreamMessages.last == .close(1000, "done"))
}

@Test func frameSplitAtEveryByteParsesTheSame() {
    // The long frame is left whole so this stays quadratic in a small prefix.
    let prefixLength = mixedStream.count - 70_000 - 30
    for split in 0...prefixLength {
        let outcome = readChunks([Array(mixedStream[..<split]), Array(mixedStream[split...])])
        #expect(outcome.error == nil)
        #expect(outcome.messages == mixedStreamMessages, "split at \(split)")
    }
}

@Test func streamFedOneByteAtATimeParsesTheSame() {
    let outcome = readChunks(mixedStream.map { [$0] })
    #expect(outcome.messages == mixedStreamMessages)
}

@Test(arguments: 1...20)
func randomChunkingsParseTheSame(seed: Int) {
    var generator = SeededGenerator(state: UInt64(seed))
    var chunks: [[UInt8]] = []
    var offset = 0
    while offset < mixedStream.count {
        let size = min(Int.random(in: 1...200, using: &generator), mixedStream.count - offset)
        chunks.append(Array(mixedStream[offset..<(offset + size)]))
        offset += size
    }
    #expect(readChunks(chunks).messages == mixedStreamMessages)
}

// MARK: Round trips

@Test func clientReadsUnmaskedServerFrames() {
    let stream = FrameEncoder.frame(.text, payload: Array("to client".utf8))
        + FrameEncoder.frame(.binary, payload: [UInt8](repeating: 3, count: 1000))
        + FrameEncoder.frame(.close, payload: FrameEncoder.closePayload(.rateLimited))
    #expect(readAll(stream, role: .client).messages
        == [.text("to client"), .binary([UInt8](repeating: 3, count: 1000)), .close(4008, "")])
}

@Test(arguments: [UInt32(0), 0xFFFF_FFFF, 0x0102_0304, 0xDEAD_BEEF])
func serverReadsFramesMaskedWithAnyKey(key: UInt32) {
    // Odd lengths so the mask phase does not line up with 8-byte words.
    for length in [1, 7, 9, 13, 1001] {
        let payload = [UInt8]((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let frame = FrameEncoder.frame(.binary, payload: payload, maskKey: key)
        let halves = [Array(frame.prefix(frame.count / 2 + 1)), Array(frame.dropFirst(frame.count / 2 + 1))]
        #expect(readAll(frame).messages == [.binary(payload)])
        #expect(readChunks(halves).messages == [.binary(payload)])
    }
}
