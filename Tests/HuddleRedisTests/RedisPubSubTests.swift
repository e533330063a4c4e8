import HuddleLoop
import HuddleRedis
import Testing

/// Publishing on one link, receiving on another, as two Huddle nodes would.
struct RedisPubSubTests {
    @Test func pipelinedPublishesArriveInOrder() throws {
        let fixture = try RedisFixture()
        let publisher = try fixture.link()
        let subscriber = try fixture.link()
        subscriber.subscribe("ws:acme")
        let sent = (0..<500).map { "message \($0)" }
        var received: [String] = []
        subscriber.onMessage = { channel, payload in
            #expect(channel == "ws:acme")
            received.append(String(decoding: payload, as: UTF8.self))
            if received.count == sent.count {
                publisher.close()
                subscriber.close()
            }
        }
        let finished = fixture.run(whenConnected: [publisher, subscriber]) {
            for text in sent { #expect(publisher.publish(Array(text: text), to: "ws:acme")) }
        }
        #expect(finished)
        #expect(received == sent)
    }

    @Test func binaryPayloadsArriveIntact() throws {
        let fixture = try RedisFixture()
        let link = try fixture.link()
        link.subscribe("bin")
        let payloads: [[UInt8]] = [[], [0], (0...255).map(UInt8.init), Array(text: "*1\r\n$-1\r\n"), [UInt8](repeating: 0xAB, count: 100_000)]
        var received: [[UInt8]] = []
        link.onMessage = { _, payload in
            received.append(Array(payload))
            if received.count == payloads.count { link.close() }
        }
        let finished = fixture.run(whenConnected: [link]) {
            for payload in payloads { link.publish(payload, to: "bin") }
        }
        #expect(finished)
        #expect(received == payloads)
    }

    @Test func unsubscribeStopsDelivery() throws {
        let fixture = try RedisFixture()
        let link = try fixture.link()
        link.subscribe("a")
        link.subscribe("b")
        var received: [String] = []
        link.onMessage = { channel, _ in
            received.append(channel)
            if channel == "b" { link.close() }
        }
        let finished = fixture.run(whenConnected: [link]) {
            link.unsubscribe("a")
            // Redis handles one connection's commands in order, so a message
            // for a still-subscribed "a" would come before the one for "b".
            link.publish(Array(text: "1"), to: "a")
            link.publish(Array(text: "2"), to: "b")
        }
        #expect(finished)
        #expect(received == ["b"])
        #expect(link.channels == ["b"])
    }

    @Test func subscribingWhileConnectedDeliversAfterTheConfirmation() throws {
        let fixture = try RedisFixture()
        let link = try fixture.link()
        var received: [String] = []
        link.onMessage = { channel, payload in
            received.append("\(channel)=\(String(decoding: payload, as: UTF8.self))")
            link.close()
        }
        let finished = fixture.run(whenConnected: [link]) {
            link.subscribe("late")
            // PUBSUB NUMSUB answers only once Redis has the subscription.
            func publishWhenSubscribed() {
                link.command("PUBSUB", "NUMSUB", "late") { reply in
                    if reply == .array([.bulk(Array(text: "late")), .integer(1)]) {
                        link.publish(Array(text: "hi"), to: "late")
                    } else {
                        publishWhenSubscribed()
                    }
                }
            }
            publishWhenSubscribed()
        }
        #expect(finished)
        #expect(received == ["late=hi"])
    }

    /// The batching claim: hiredis only buffers a command; the loop writes the
    /// whole buffer when it next finds the socket writable.
    @Test func publishesOfOneLoopTurnLeaveInOneWrite() throws {
        let fixture = try RedisFixture()
        let link = try fixture.link()
        link.subscribe("batch")
        let count = 100
        var writesBefore = 0
        var writesUntilAllArrived: Int?
        var received = 0
        link.onMessage = { _, _ in
            received += 1
            if received == count {
                writesUntilAllArrived = (try? writeCallsOfThisThread()).map { $0 - writesBefore }
                link.close()
            }
        }
        let finished = fixture.run(whenConnected: [link]) {
            writesBefore = (try? writeCallsOfThisThread()) ?? 0
            let payload = [UInt8](repeating: UInt8(ascii: "p"), count: 64)
            for _ in 0..<count { link.publish(payload, to: "batch") }
        }
        #expect(finished)
        #expect(received == count)
        #expect(writesUntilAllArrived == 1)
    }
}
