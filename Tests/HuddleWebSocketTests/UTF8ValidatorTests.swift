import HuddleWebSocket
import Testing

private func isValid(_ bytes: [UInt8]) -> Bool {
    var validator = UTF8Validator()
    return bytes.withUnsafeBytes { validator.validate($0) } && validator.isAtBoundary
}

@Test func acceptsAsciiAndEveryEncodingLength() {
    #expect(isValid(Array("plain ascii, long enough for the word loop".utf8)))
    #expect(isValid(Array("ü € 😀 \u{10FFFF} \u{D7FF} \u{E000}".utf8)))
}

@Test(arguments: [
    [0x80], [0xBF],                  // lone continuation bytes
    [0xC0, 0xAF], [0xC1, 0xBF],      // overlong 2-byte
    [0xE0, 0x80, 0xAF],              // overlong 3-byte
    [0xF0, 0x80, 0x80, 0xAF],        // overlong 4-byte
    [0xED, 0xA0, 0x80],              // surrogate U+D800
    [0xF4, 0x90, 0x80, 0x80],        // above U+10FFFF
    [0xF5, 0x80, 0x80, 0x80], [0xFF],
    [0xE2, 0x41],                    // lead byte followed by ASCII
] as [[UInt8]])
func rejectsInvalidSequences(bytes: [UInt8]) {
    #expect(!isValid(bytes))
}

@Test func truncatedSequenceIsNotAtBoundary() {
    var validator = UTF8Validator()
    #expect(([0x61, 0xF0, 0x9F] as [UInt8]).withUnsafeBytes { validator.validate($0) })
    #expect(!validator.isAtBoundary)
}

@Test func sequenceSplitAcrossCallsIsValid() {
    var validator = UTF8Validator()
    for byte: UInt8 in [0xF0, 0x9F, 0x98, 0x80] {
        #expect([byte].withUnsafeBytes { validator.validate($0) })
    }
    #expect(validator.isAtBoundary)
}

@Test func failureIsSticky() {
    var validator = UTF8Validator()
    #expect(!([0xFF] as [UInt8]).withUnsafeBytes { validator.validate($0) })
    #expect(!([0x61] as [UInt8]).withUnsafeBytes { validator.validate($0) })
    #expect(!validator.isAtBoundary)
}

@Test func invalidByteAfterLongAsciiRunIsFound() {
    var bytes = [UInt8](repeating: 0x61, count: 37)
    bytes[33] = 0xC0
    #expect(!isValid(bytes))
}
