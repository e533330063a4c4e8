/// A session's message budget (PROTOCOL.md §8): `messagesPerSecond` tokens a
/// second up to `burst`, one per data message, and the rejection streak that
/// marks abuse.
///
/// Tokens are counted in thousandths so refill is exact integer arithmetic:
/// a rate of N tokens/s is N milli-tokens per millisecond.
struct TokenBucket {
    enum Verdict: Equatable {
        case allowed
        /// Dropped; one token will be back after `retryAfterMs`.
        case rejected(retryAfterMs: Int)
        /// The rejection streak lasted `abuseStreakMs`: close the session.
        case abusive
    }

    private static let milliPerToken: Int64 = 1000

    private var milliTokens: Int64
    private var lastRefill: UInt64
    /// When the current rejection streak began; `noStreak` outside one (not an
    /// optional, whose flag would cost every session 8 bytes of padding).
    private var streakStart = noStreak
    private var lastRejection: UInt64 = 0
    private static let noStreak = UInt64.max

    init(burst: Int, now: UInt64) {
        milliTokens = Int64(burst) * Self.milliPerToken
        lastRefill = now
    }

    mutating func take(at now: UInt64, config: CoreConfig) -> Verdict {
        let rate = Int64(max(config.messagesPerSecond, 1))
        let capacity = Int64(config.burst) * Self.milliPerToken
        if now > lastRefill {
            let refill = Int64(clamping: now - lastRefill).multipliedReportingOverflow(by: rate)
            milliTokens = refill.overflow ? capacity : min(capacity, milliTokens + refill.partialValue)
            lastRefill = now
        }
        if milliTokens >= Self.milliPerToken {
            milliTokens -= Self.milliPerToken
            return .allowed
        }
        if streakStart != Self.noStreak, now.elapsed(since: lastRejection) < UInt64(config.streakGapMs) {
            lastRejection = now
            if now.elapsed(since: streakStart) >= UInt64(config.abuseStreakMs) { return .abusive }
        } else {
            streakStart = now
            lastRejection = now
        }
        let missing = Self.milliPerToken - milliTokens
        return .rejected(retryAfterMs: Int((missing + rate - 1) / rate))
    }
}
