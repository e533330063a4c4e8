/// An incremental UTF-8 validator (Unicode 15, table 3-7): no overlong forms,
/// no surrogates, nothing above U+10FFFF.
///
/// It fails as soon as a byte cannot continue a valid sequence, so a reader
/// can reject a text message before it is complete; a sequence cut at the end
/// of one chunk continues in the next.
public struct UTF8Validator: Sendable {
    /// Continuation bytes still expected for the sequence in progress.
    private var pendingContinuations: UInt8 = 0
    /// Allowed range of the next continuation byte; narrower than 80...BF only
    /// right after E0, ED, F0 and F4.
    private var nextLow: UInt8 = continuationLow
    private var nextHigh: UInt8 = continuationHigh
    private var failed = false

    private static let continuationLow: UInt8 = 0x80
    private static let continuationHigh: UInt8 = 0xBF
    private static let asciiWordMask: UInt64 = 0x8080_8080_8080_8080
    private static let wordSize = MemoryLayout<UInt64>.size

    public init() {}

    /// True when no multi-byte sequence is waiting for continuation bytes: a
    /// text message may end here.
    public var isAtBoundary: Bool { pendingContinuations == 0 && !failed }

    /// Feeds `bytes`; returns false as soon as a sequence is invalid, and from
    /// then on for every call.
    public mutating func validate(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if failed { return false }
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        while index < count {
            if pendingContinuations == 0 {
                // ASCII dominates JSON: skip it a word at a time.
                while index + Self.wordSize <= count,
                      base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & Self.asciiWordMask == 0 {
                    index += Self.wordSize
                }
                if index == count { break }
            }
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            index += 1
            if pendingContinuations == 0 {
                if byte < 0x80 { continue }
                guard startSequence(byte) else {
                    failed = true
                    return false
                }
            } else {
                guard byte >= nextLow && byte <= nextHigh else {
                    failed = true
                    return false
                }
                pendingContinuations -= 1
                nextLow = Self.continuationLow
                nextHigh = Self.continuationHigh
            }
        }
        return true
    }

    /// Sets up the expectations that follow a lead byte; false if `byte`
    /// cannot start a sequence.
    private mutating func startSequence(_ byte: UInt8) -> Bool {
        nextLow = Self.continuationLow
        nextHigh = Self.continuationHigh
        switch byte {
        case 0xC2...0xDF: pendingContinuations = 1
        case 0xE0: pendingContinuations = 2; nextLow = 0xA0          // no overlong 3-byte forms
        case 0xE1...0xEC, 0xEE...0xEF: pendingContinuations = 2
        case 0xED: pendingContinuations = 2; nextHigh = 0x9F         // no surrogates
        case 0xF0: pendingContinuations = 3; nextLow = 0x90          // no overlong 4-byte forms
        case 0xF1...0xF3: pendingContinuations = 3
        case 0xF4: pendingContinuations = 3; nextHigh = 0x8F         // nothing above U+10FFFF
        default: return false
        }
        return true
    }
}
