import Glibc
import HuddleLoop
import Testing

@Suite struct SignalWatcherTests {
    @Test func watcherRunsItsHandlerWhenTheSignalIsRaised() throws {
        let loop = try EventLoop()
        var seen = 0
        var watcher: SignalWatcher?
        watcher = try SignalWatcher(loop: loop, signal: SIGUSR1) {
            seen += 1
            watcher?.close()
        }
        let raiser = LoopTimer(loop: loop)
        raiser.start(afterMs: 0) {
            // Process-directed: raise() would target this thread, and the
            // test runner's worker threads block signals.
            kill(getpid(), SIGUSR1)
            raiser.close()
        }
        #expect(runUntilIdle(loop))
        #expect(seen == 1)
    }
}
