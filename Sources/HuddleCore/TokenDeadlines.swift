/// A connected session's token deadlines on the monotonic clock.
struct TokenDeadlines {
    /// When `auth.expiring` is sent; `nil` once sent.
    var warnAt: UInt64?
    let expiresAt: UInt64
    /// Tells the current deadlines from those a refresh replaced.
    let generation: UInt64
}
