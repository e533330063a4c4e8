import HuddleRedis
import Testing

struct ReconnectBackoffTests {
    @Test func doublesFromTheInitialWaitUpToTheCap() {
        let backoff = ReconnectBackoff(initialMs: 100, maxMs: 1_000)
        #expect((0..<7).map { backoff.delayMs(afterFailures: $0) } == [100, 200, 400, 800, 1_000, 1_000, 1_000])
    }

    @Test func staysAtTheCapForeverWithoutOverflowing() {
        let backoff = ReconnectBackoff(initialMs: 3, maxMs: 5_000)
        #expect(backoff.delayMs(afterFailures: 62) == 5_000)
        #expect(backoff.delayMs(afterFailures: 10_000) == 5_000)
    }
}
