import Foundation
import HuddleJSON
import HuddleTestSupport
import Testing

/// PostgreSQL down at start, restarted under load: the server keeps its
/// sessions, never acknowledges a write it did not commit, and heals by itself.
@Suite(.enabled(if: TestStorage.isPostgres, "needs PostgreSQL (scripts/test installs it and sets HUDDLE_TEST_POSTGRES_URL)"))
struct PostgresFaultEndToEndTests {
    @Test func postgresDownAtStartLeavesPresenceWorkingAndHealsWhenItComesUp() throws {
        let postgres = try PostgresServer()
        let password = try #require(URLComponents(string: postgres.url)?.password)
        try postgres.halt()

        let server = try ServerProcess(storage: postgres.url)
        #expect(try server.get("/healthz").status == 503)
        let alice = try server.join("down", user: "alice")
        #expect(alice.welcome["epoch"] == .null)
        let bob = try server.join("down", user: "bob")
        #expect(try alice.waitFor("presence.join")["user"] == "bob")
        try bob.send(["type": "cursor", "data": ["x": 1]])
        #expect(try alice.waitFor("cursor")["user"] == "bob")
        try alice.send(["type": "notes.add", "id": "n1", "data": ["subject": "contact:1", "body": "hello"]])
        #expect(try alice.waitFor("error")["code"] == "unavailable")

        try postgres.start()
        try waitUntil("healthz says ok", timeout: 20) { try server.get("/healthz").status == 200 }
        try alice.send(["type": "notes.add", "id": "n2", "data": ["subject": "contact:1", "body": "hello"]])
        #expect(try alice.waitFor("ack")["seq"] == 1)
        #expect(try bob.waitFor("notes.added")["seq"] == 1)
        let carol = try server.join("down", user: "carol")
        #expect(carol.welcome["epoch"]?.stringValue?.hasPrefix("e_") == true)
        #expect(carol.welcome["seq"] == 1)

        let log = server.standardError()
        #expect(log.contains("unreachable"))
        #expect(!log.contains(password))
        #expect(try !server.get("/metrics").json.debugDescription.contains(password))
    }

    @Test func restartUnderLoadLosesNoAcknowledgedWriteAndLeavesNoGap() throws {
        let postgres = try PostgresServer()
        let server = try ServerProcess(environment: ["HUDDLE_LIMITS_MESSAGES_PER_SECOND": "100000",
                                                     "HUDDLE_LIMITS_BURST": "100000"], storage: postgres.url)
        let writers = try (0..<4).map { try server.join("load", user: "writer\($0)") }
        var acked: [Int] = []
        var refused = 0
        var round = 0
        func writeRound() throws {
            round += 1
            for (index, writer) in writers.enumerated() {
                try writer.send(["type": "notes.add", "id": .string("r\(round)-\(index)"),
                                 "data": ["subject": "contact:1", "body": .string("round \(round)")]])
            }
            for writer in writers {
                var answer = try writer.client.receiveJSON()
                while answer["type"] != "ack" && answer["type"] != "error" { answer = try writer.client.receiveJSON() }
                if answer["type"] == "ack" { acked.append(answer["seq"]!.intValue!) } else {
                    #expect(answer["code"] == "unavailable")
                    refused += 1
                }
            }
        }
        for _ in 0..<20 { try writeRound() }
        let restarted = DispatchSemaphore(value: 0)
        Thread {
            try? postgres.restart()
            restarted.signal()
        }.start()
        repeat { try writeRound() } while restarted.wait(timeout: .now() + .milliseconds(5)) == .timedOut
        // The server's connection died with the restart: the first batch on it is refused.
        try waitUntil("a write is acknowledged after the restart", timeout: 30) {
            let before = acked.count
            try writeRound()
            let healthy = try server.get("/healthz").status == 200
            return acked.count > before && healthy
        }

        let stored = try TestStorage.column("SELECT seq FROM events WHERE workspace = 'load' ORDER BY seq", on: postgres.url)
            .compactMap { $0.flatMap(Int.init) }
        #expect(Set(acked).isSubset(of: Set(stored)), "every acknowledged write is stored")
        #expect(stored == Array(1...(stored.last ?? 0)), "no gap in seq")
        #expect(acked.count + refused == round * writers.count)
        #expect(refused >= 1, "a write in flight during the restart was answered unavailable")
    }
}
