extension UInt64 {
    /// Milliseconds from `earlier` to `self`, 0 if `earlier` is later: a clock
    /// that never goes backwards is the caller's promise, not something to trap on.
    func elapsed(since earlier: UInt64) -> UInt64 { self > earlier ? self - earlier : 0 }
}
