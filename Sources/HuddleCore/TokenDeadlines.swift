/// A connected session's token deadlines on the monotonic clock. A class so
/// that a session whose token has no `exp` pays 8 bytes for it, not 40.
final class TokenDeadlines {
    /// When `auth.expiring` is sent; `nil` once sent.
    var warnAt: UInt64?
    let expiresAt: UInt64
    /// Tells the current deadlines from those a refresh replaced.
    let generation: UInt64

    init(warnAt: UInt64?, expiresAt: UInt64, generation: UInt64) {
        self.warnAt = warnAt
        self.expiresAt = expiresAt
        self.generation = generation
    }
}
