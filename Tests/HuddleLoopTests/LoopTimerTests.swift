import HuddleLoop
import Testing

@Suite struct LoopTimerTests {
    @Test func timerFiresOnceAfterItsDelay() throws {
        let loop = try EventLoop()
        var fired = 0
        LoopTimer(loop: loop).start(afterMs: 1) { fired += 1 }
        #expect(runUntilIdle(loop))
        #expect(fired == 1)
    }

    @Test func repeatingTimerFiresUntilStopped() throws {
        let loop = try EventLoop()
        let timer = LoopTimer(loop: loop)
        var fired = 0
        timer.start(afterMs: 1, repeatMs: 1) {
            fired += 1
            if fired == 3 {
                timer.stop()
            }
        }
        #expect(runUntilIdle(loop))
        #expect(fired == 3)
    }

    @Test func restartingReplacesTheArmedCallback() throws {
        let loop = try EventLoop()
        let timer = LoopTimer(loop: loop)
        var firstFired = 0
        var secondFired = 0
        timer.start(afterMs: 5) { firstFired += 1 }
        timer.start(afterMs: 1) { secondFired += 1 }
        #expect(runUntilIdle(loop))
        #expect(firstFired == 0)
        #expect(secondFired == 1)
    }

    @Test func stoppedTimerRestartedFromItsCallbackFiresAgain() throws {
        let loop = try EventLoop()
        let timer = LoopTimer(loop: loop)
        var fired = 0
        func arm() {
            timer.start(afterMs: 1) {
                fired += 1
                timer.stop()
                if fired < 2 {
                    arm()
                }
            }
        }
        arm()
        #expect(runUntilIdle(loop))
        #expect(fired == 2)
    }

    @Test func closedTimerNeverFiresAndClosesTwiceSafely() throws {
        let loop = try EventLoop()
        let timer = LoopTimer(loop: loop)
        var fired = 0
        timer.start(afterMs: 1) { fired += 1 }
        timer.close()
        timer.close()
        timer.start(afterMs: 1) { fired += 1 }
        #expect(runUntilIdle(loop))
        #expect(fired == 0)
    }
}
