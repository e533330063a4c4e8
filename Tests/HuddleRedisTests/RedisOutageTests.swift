import HuddleLoop
import HuddleRedis
import Testing

/// Redis going away and coming back on the same port.
struct RedisOutageTests {
    @Test func reconnectsAndResubscribesAfterRedisRestarts() throws {
        let fixture = try RedisFixture()
        let link = try fixture.link()
        link.subscribe("presence")
        var states: [RedisLink.State] = []
        var received: [String] = []
        link.onMessage = { _, payload in
            received.append(String(decoding: payload, as: UTF8.self))
            if received == ["before"] {
                fixture.server.kill()
            } else {
                link.close()
            }
        }
        link.onStateChange = { state in
            states.append(state)
            switch state {
            case .connected:
                link.publish(Array(text: states.count == 1 ? "before" : "after"), to: "presence")
            case .disconnected:
                do {
                    try fixture.server.restart()
                } catch {
                    Issue.record("restart failed: \(error)")
                    link.close()
                }
            }
        }
        link.start()
        #expect(fixture.runLoop())
        #expect(states == [.connected, .disconnected, .connected])
        #expect(received == ["before", "after"])
    }

    @Test func commandsWhileDownFailAtOnce() throws {
        let fixture = try RedisFixture()
        let link = try fixture.link()
        var reply: RedisReply?
        var answeredBeforeReturning = false
        var publishSent: Bool?
        link.onProblem = { problem in
            guard problem.hasPrefix("commands:"), reply == nil else { return }
            link.command("PING") { reply = $0 }
            answeredBeforeReturning = reply != nil
            publishSent = link.publish(Array(text: "x"), to: "c")
            link.close()
        }
        let finished = fixture.run(whenConnected: [link]) {
            fixture.server.kill()
        }
        #expect(finished)
        #expect(answeredBeforeReturning)
        #expect(reply?.isLinkFailure == true)
        #expect(publishSent == false)
    }

    @Test func commandsBeforeTheFirstConnectFailAtOnce() throws {
        let fixture = try RedisFixture()
        let link = try fixture.link("redis://127.0.0.1:\(fixture.server.port)/5")
        var reply: RedisReply?
        link.start()
        // Connecting now: queued, this would leave ahead of SELECT 5.
        link.command("SET", "k", "v") { reply = $0 }
        #expect(reply?.isLinkFailure == true)
        #expect(!link.publish(Array(text: "x"), to: "c"))
        link.close()
        #expect(fixture.runLoop())
    }

    @Test func aCommandInFlightFailsWhenTheConnectionDrops() throws {
        let fixture = try RedisFixture()
        let link = try fixture.link()
        let observer = try fixture.link()
        var reply: RedisReply?
        // Kills Redis once it shows a client blocked in BLPOP, i.e. once the
        // command has been sent and its reply can only come never.
        func killWhenBlocked() {
            observer.command("CLIENT", "LIST") { list in
                if list.text?.contains("cmd=blpop") == true {
                    fixture.server.kill()
                    observer.close()
                } else {
                    killWhenBlocked()
                }
            }
        }
        let finished = fixture.run(whenConnected: [link, observer]) {
            link.command("BLPOP", "never", "0") { reply = $0; link.close() }
            killWhenBlocked()
        }
        #expect(finished)
        guard case .error(let message) = reply else {
            Issue.record("expected a link failure, got \(String(describing: reply))")
            return
        }
        #expect(message.hasPrefix("LINKLOST"))
    }

    @Test func connectFailuresRetryWithBackoffUntilRedisComesUp() throws {
        let fixture = try RedisFixture()
        fixture.server.kill()
        let link = try fixture.link()
        var commandProblems: [String] = []
        link.onProblem = { problem in
            guard problem.hasPrefix("commands:") else { return }
            commandProblems.append(problem)
            if commandProblems.count == 3 {
                do { try fixture.server.restart() } catch { Issue.record("restart failed: \(error)"); link.close() }
            }
        }
        link.onStateChange = { state in
            if state == .connected { link.close() }
        }
        link.start()
        #expect(fixture.runLoop())
        #expect(commandProblems == [10, 20, 40].map { "commands: Connection refused; next attempt in \($0) ms" })
    }

    @Test func aServerThatNeverAnswersIsDroppedAfterTheConnectTimeout() throws {
        let fixture = try RedisFixture()
        // Accepts (the kernel completes the TCP handshake) but never answers PING.
        var silent: [TCPConnection] = []
        let listener = try TCPListener(loop: fixture.loop, host: "127.0.0.1", port: 0) { silent.append($0) }
        let options = RedisLinkOptions(connectTimeoutMs: 50, reconnectBackoff: RedisFixture.options.reconnectBackoff)
        let link = RedisLink(url: RedisURL(host: "127.0.0.1", port: listener.port), loop: fixture.loop, options: options)
        var problems: [String] = []
        link.onProblem = { problem in
            problems.append(problem)
            guard problems.count == 2 else { return }
            link.close()
            listener.close()
            silent.forEach { $0.close() }
        }
        link.start()
        #expect(fixture.runLoop())
        #expect(problems.sorted() == ["commands", "subscriber"].map {
            "\($0): no answer to the handshake within 50 ms; next attempt in 10 ms"
        })
    }

    @Test func queuedPublishesStillLeaveOnClose() throws {
        let fixture = try RedisFixture()
        let publisher = try fixture.link()
        let subscriber = try fixture.link()
        subscriber.subscribe("last-words")
        var received = 0
        subscriber.onMessage = { _, _ in
            received += 1
            if received == 10 { subscriber.close() }
        }
        let finished = fixture.run(whenConnected: [publisher, subscriber]) {
            for _ in 0..<10 { publisher.publish(Array(text: "bye"), to: "last-words") }
            publisher.close()
        }
        #expect(finished)
        #expect(received == 10)
    }

    @Test func closeAllClosesALinkLeftOpen() throws {
        let fixture = try RedisFixture()
        let link = try fixture.link()
        link.subscribe("left-open")
        var stateWhenStopped: RedisLink.State?
        let finished = fixture.run(whenConnected: [link]) {
            stateWhenStopped = link.state
            // runLoop's closeAll must close hiredis's poll handles itself.
            fixture.loop.stop()
        }
        #expect(finished)
        #expect(stateWhenStopped == .connected)
        #expect(fixture.loop.isTornDown)
    }
}
