@testable import HuddleServer
import Testing

/// The out-of-descriptors log line: once per interval, counting what it held back.
@Suite struct RateLimitedLogTests {
    @Test func firstOccurrenceIsLoggedAndRepeatsInsideTheIntervalAreNot() {
        var log = RateLimitedLog(intervalMs: 10_000)
        let decisions = [5, 6, 10_004].map { log.shouldLog(nowMs: $0) }
        #expect(decisions == [true, false, false])
    }

    @Test func nextOccurrenceAfterTheIntervalIsLoggedWithTheCountHeldBack() {
        var log = RateLimitedLog(intervalMs: 10_000)
        _ = log.shouldLog(nowMs: 0)
        for ms in 1...3 { _ = log.shouldLog(nowMs: UInt64(ms)) }
        let afterInterval = log.shouldLog(nowMs: 10_000)
        #expect(afterInterval)
        #expect(log.suppressedBeforeLast == 3)
        let afterAnother = log.shouldLog(nowMs: 20_000)
        #expect(afterAnother)
        #expect(log.suppressedBeforeLast == 0)
    }
}
