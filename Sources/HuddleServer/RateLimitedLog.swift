/// Lets a recurring log line through at most once per interval, and counts
/// what it held back, so a condition that repeats thousands of times a second
/// (out of descriptors under a flood) costs one line, not a full disk.
struct RateLimitedLog {
    let intervalMs: UInt64
    private var lastLoggedMs: UInt64?
    private var suppressed = 0
    /// How many occurrences were held back before the last one let through.
    private(set) var suppressedBeforeLast = 0

    init(intervalMs: UInt64) {
        self.intervalMs = intervalMs
    }

    /// Whether this occurrence, at `nowMs` (monotonic), should be logged.
    mutating func shouldLog(nowMs: UInt64) -> Bool {
        if let lastLoggedMs, nowMs - lastLoggedMs < intervalMs {
            suppressed += 1
            return false
        }
        lastLoggedMs = nowMs
        suppressedBeforeLast = suppressed
        suppressed = 0
        return true
    }
}
