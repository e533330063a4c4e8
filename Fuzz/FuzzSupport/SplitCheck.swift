/// The property both incremental parsers promise: however TCP splits the
/// bytes, the outcome is the same.
public enum SplitCheck {
    /// The input's first byte picks a piece size (1–64); the rest goes to
    /// `outcome` whole and in pieces of that size, and the two must agree.
    public static func run<Outcome: Equatable>(_ start: UnsafePointer<UInt8>?, _ count: Int,
                                               _ outcome: ([ArraySlice<UInt8>]) -> Outcome) {
        guard count > 0, let start else { return }
        let split = Int(start[0]) % 64 + 1
        let bytes = Array(UnsafeBufferPointer(start: start + 1, count: count - 1))
        let whole = outcome([bytes[...]])
        let pieces = stride(from: 0, to: bytes.count, by: split).map { bytes[$0..<min($0 + split, bytes.count)] }
        let piecewise = outcome(pieces)
        precondition(whole == piecewise, "split at \(split) bytes changed the outcome: \(whole) vs \(piecewise)")
    }
}
