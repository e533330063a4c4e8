import Glibc
@testable import HuddleServer
import Testing

/// The soft descriptor limit is raised to the hard one at start.
@Suite struct FileLimitTests {
    @Test func softLimitIsRaisedToTheHardLimit() throws {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        try #require(getrlimit(resource, &limit) == 0)
        try #require(limit.rlim_max > 512)
        var lowered = limit
        lowered.rlim_cur = 512
        try #require(setrlimit(resource, &lowered) == 0)
        let raised = FileLimit.raiseToHard()
        #expect(raised.softAtStart == 512)
        #expect(raised.soft == UInt64(limit.rlim_max))
        #expect(raised.hard == UInt64(limit.rlim_max))
    }
}
