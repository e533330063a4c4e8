/// One thing a session is typing into, and when it stops counting.
struct TypingTarget {
    let target: String
    var expiresAt: UInt64
    /// Tells this target's expiry deadline from that of an earlier start of the same target.
    let generation: UInt64
}
