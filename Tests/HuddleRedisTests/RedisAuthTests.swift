import HuddleRedis
import Testing

/// `redis://:password@…`: AUTH on each connection, and a refusal that is
/// reported without the password.
struct RedisAuthTests {
    @Test func connectsWithThePasswordOfTheURL() throws {
        let fixture = try RedisFixture(password: "s3cret@x")
        let link = try fixture.link("redis://:s3cret%40x@127.0.0.1:\(fixture.server.port)/0")
        var reply: RedisReply?
        let finished = fixture.run(whenConnected: [link]) {
            link.command("PING") { reply = $0; link.close() }
        }
        #expect(finished)
        #expect(reply == .status("PONG"))
    }

    @Test func aWrongPasswordIsReportedWithoutThePassword() throws {
        let fixture = try RedisFixture(password: "right")
        let link = try fixture.link("redis://:wrong-guess@127.0.0.1:\(fixture.server.port)/0")
        var problems: [String] = []
        link.onProblem = { problem in
            problems.append(problem)
            if problems.count == 2 { link.close() }
        }
        link.start()
        #expect(fixture.runLoop())
        #expect(problems.count == 2)
        #expect(problems.allSatisfy { $0.contains("AUTH refused: WRONGPASS") })
        #expect(!problems.joined().contains("wrong-guess"))
        #expect(link.state == .disconnected)
    }
}
