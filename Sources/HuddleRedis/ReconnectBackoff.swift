/// How long a `RedisLink` connection waits before its next attempt: capped
/// exponential, starting again from `initialMs` after each successful
/// connect. Without jitter, so tests and logs can predict it; a handful of
/// Huddle nodes reconnecting at once is no herd for Redis.
public struct ReconnectBackoff: Equatable, Sendable {
    public var initialMs: UInt64
    public var maxMs: UInt64

    public init(initialMs: UInt64 = 100, maxMs: UInt64 = 5_000) {
        precondition(initialMs > 0 && maxMs >= initialMs, "ReconnectBackoff: need 0 < initialMs <= maxMs")
        self.initialMs = initialMs
        self.maxMs = maxMs
    }

    /// The wait after `failures` failed attempts in a row (0: the first retry).
    public func delayMs(afterFailures failures: Int) -> UInt64 {
        // Doubling past 63 overflows; the cap is reached far earlier anyway.
        let shift = UInt64(min(failures, 63))
        let (scaled, overflow) = initialMs.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? maxMs : min(scaled, maxMs)
    }
}
