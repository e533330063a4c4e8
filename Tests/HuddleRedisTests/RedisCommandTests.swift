import HuddleLoop
import HuddleRedis
import Testing

/// Commands and each kind of reply, against a real redis-server.
struct RedisCommandTests {
    /// Runs `commands` (as text) in order once connected; returns their replies.
    private func replies(to commands: [[String]], url: String? = nil) throws -> [RedisReply] {
        let fixture = try RedisFixture()
        let link = try fixture.link(url)
        var replies: [RedisReply] = []
        let finished = fixture.run(whenConnected: [link]) {
            for command in commands {
                link.command(command.map { Array($0.utf8) }) { reply in
                    replies.append(reply)
                    if replies.count == commands.count { link.close() }
                }
            }
        }
        #expect(finished)
        return replies
    }

    @Test func statusAndBulkReplies() throws {
        #expect(try replies(to: [["SET", "k", "v"], ["GET", "k"]]) == [.status("OK"), .bulk(Array(text: "v"))])
    }

    @Test func integerReply() throws {
        #expect(try replies(to: [["INCRBY", "n", "41"], ["INCR", "n"]]) == [.integer(41), .integer(42)])
    }

    @Test func nilReplyForAMissingKey() throws {
        #expect(try replies(to: [["GET", "missing"]]) == [.nil])
    }

    @Test func nestedArrayReply() throws {
        let script = "return {1, 'two', {3, 'four'}}"
        #expect(try replies(to: [["EVAL", script, "0"]])
            == [.array([.integer(1), .bulk(Array(text: "two")), .array([.integer(3), .bulk(Array(text: "four"))])])])
    }

    @Test func errorReplyFromRedis() throws {
        let answers = try replies(to: [["SET", "k", "text"], ["INCR", "k"]])
        guard case .error(let message) = answers.last else {
            Issue.record("expected an error, got \(answers)")
            return
        }
        #expect(message.hasPrefix("ERR"))
        #expect(answers.last?.isLinkFailure == false)
    }

    @Test func binaryValuesRoundTrip() throws {
        let fixture = try RedisFixture()
        let link = try fixture.link()
        let key: [UInt8] = [0, 13, 10, 36, 255]
        let value = (0...255).map(UInt8.init) + Array(text: "\r\n$3\r\n")
        var got: RedisReply?
        let finished = fixture.run(whenConnected: [link]) {
            link.command([Array(text: "SET"), key, value]) { _ in }
            link.command([Array(text: "GET"), key]) { reply in
                got = reply
                link.close()
            }
        }
        #expect(finished)
        #expect(got == .bulk(value))
    }

    @Test func selectsTheDatabaseOfTheURL() throws {
        let fixture = try RedisFixture()
        let inDatabase3 = try fixture.link("redis://127.0.0.1:\(fixture.server.port)/3")
        let inDatabase0 = try fixture.link()
        var seenFrom3: RedisReply?
        var seenFrom0: RedisReply?
        let finished = fixture.run(whenConnected: [inDatabase3, inDatabase0]) {
            inDatabase3.command("SET", "k", "three") { _ in
                inDatabase3.command("GET", "k") { seenFrom3 = $0; inDatabase3.close() }
                inDatabase0.command("GET", "k") { seenFrom0 = $0; inDatabase0.close() }
            }
        }
        #expect(finished)
        #expect(seenFrom3 == .bulk(Array(text: "three")))
        #expect(seenFrom0 == .nil)
    }

    @Test func pubSubCommandsAreRefusedOnTheCommandConnection() throws {
        let fixture = try RedisFixture()
        let link = try fixture.link()
        var refusals: [RedisReply] = []
        let finished = fixture.run(whenConnected: [link]) {
            for name in ["SUBSCRIBE", "psubscribe", "MONITOR"] {
                link.command(name, "x") { refusals.append($0) }
            }
            #expect(!link.send([Array(text: "SUBSCRIBE"), Array(text: "x")]))
            link.close()
        }
        #expect(finished)
        #expect(refusals == Array(repeating: .error("ERR use RedisLink.subscribe and unsubscribe for pub/sub"), count: 3))
    }
}
