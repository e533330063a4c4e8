import Foundation
import HuddleJSON
import HuddleTestSupport
import Testing

/// Short timings, so faults show within a test's patience.
private let clusterTimings = ["HUDDLE_PRESENCE_GRACE_MS": "1500", "HUDDLE_CLUSTER_NODE_TTL_MS": "2000",
                              "HUDDLE_TYPING_TTL_MS": "5000"]

/// `count` nodes with the short timings, each already hearing Redis.
private func linkedCluster(nodes count: Int) throws -> ClusterProcess {
    let cluster = try ClusterProcess(nodes: count, environment: clusterTimings)
    try cluster.waitUntilLinked()
    return cluster
}

/// Real nodes on one real Redis and one PostgreSQL database: every promise
/// of the protocol across nodes, and the faults (issue: cluster).
@Suite(.enabled(if: TestStorage.isPostgres, "a cluster shares PostgreSQL (scripts/test runs this on its test server)"))
struct ClusterEndToEndTests {
    @Test func sessionsOnTwoNodesSeeEachOthersPresenceTypingAndCursors() throws {
        let cluster = try linkedCluster(nodes: 3)
        let alice = try cluster.nodes[0].join("crm", user: "alice", name: "Alice")
        let bob = try cluster.nodes[1].join("crm", user: "bob", name: "Bob")
        #expect(bob.welcome["presence"]?.arrayValue?.map { $0["user"] } == ["alice", "bob"])
        #expect(try alice.waitFor("presence.join")["user"] == "bob")

        let aliceOnB = try cluster.nodes[1].join("crm", user: "alice", name: "Alice")
        #expect(try bob.waitFor("presence.join")["sessions"] == 2)
        #expect(aliceOnB.welcome["presence"]?.arrayValue?.first?["sessions"]?.arrayValue?.count == 2)

        try alice.send(["type": "typing", "data": ["target": "contact:1/notes", "active": true]])
        let typing = try bob.waitFor("typing")
        #expect(typing["user"] == "alice" && typing["active"] == true)
        try alice.send(["type": "cursor", "data": ["x": 0.5, "y": 0.25]])
        #expect(try bob.waitFor("cursor")["data"] == ["x": 0.5, "y": 0.25])
        try alice.send(["type": "presence.set", "data": ["status": "away"]])
        #expect(try bob.waitFor("presence.update")["status"] == "away")

        // The same presence document from every node, the one without sessions too.
        try waitUntil("every node answers the same presence") {
            let documents = try cluster.nodes.map { try $0.get("/api/workspaces/crm/presence").json }
            return documents[0]?["count"] == 2 && documents.allSatisfy { $0 == documents[0] }
        }

        try alice.client.close()
        #expect(try bob.waitFor("typing", where: { $0["active"] == false })["reason"] == "left")
    }

    @Test func writesFromTwoNodesAtOnceArriveEverywhereInSeqOrderWithoutGapsOrDuplicates() throws {
        let cluster = try linkedCluster(nodes: 2)
        let alice = try cluster.nodes[0].join("notes", user: "alice")
        let bob = try cluster.nodes[1].join("notes", user: "bob")
        _ = try alice.waitFor("presence.join")
        let perWriter = 25
        for i in 0..<perWriter {
            for (writer, name) in [(alice, "a"), (bob, "b")] {
                try writer.send(["type": "notes.add", "id": .string("\(name)\(i)"),
                                 "data": ["subject": "contact:1", "body": .string("\(name) \(i)")]])
            }
        }
        for member in [alice, bob] {
            var seqs: [Int] = []
            var acks = 0
            while seqs.count < 2 * perWriter || acks < perWriter {
                let message = try member.client.receiveJSON()
                if message["type"] == "notes.added" { seqs.append(message["seq"]!.intValue!) }
                if message["type"] == "ack" {
                    #expect(seqs.contains(message["seq"]!.intValue!), "the event comes before its ack")
                    acks += 1
                }
                #expect(message["type"] != "error", "\(message)")
            }
            #expect(seqs == Array(1...(2 * perWriter)))
        }
        for node in cluster.nodes {
            // Counted once per broadcast under its own type, whichever node committed it.
            #expect(try node.metric(#"huddle_messages_out_total{type="notes.added"}"#) == 2 * perWriter)
            #expect(try node.metric(#"huddle_messages_out_total{type="event"}"#) == nil)
        }
    }

    @Test func aSessionDroppedOnOneNodeResumesOnAnotherWithNoLeaveAndNoJoin() throws {
        let cluster = try linkedCluster(nodes: 2)
        let bob = try cluster.nodes[1].join("resume", user: "bob")
        let alice = try cluster.nodes[0].join("resume", user: "alice")
        _ = try bob.waitFor("presence.join")
        // At once: node B may hear of the drop after the client reaches it.
        alice.client.abort()
        let back = try cluster.nodes[1].join("resume", user: "alice", query: "session=\(alice.session)")
        #expect(back.welcome["resumed"] == true)
        #expect(back.session == alice.session)
        Thread.sleep(forTimeInterval: 2.5) // past the grace period: a leave would have come by now
        try bob.send(["type": "ping", "id": 1])
        _ = try bob.waitFor("pong")
        #expect(!bob.client.skipped.contains { $0["type"] == "presence.leave" || $0["type"] == "presence.join" })
    }

    @Test func aNodeKilledWithSigkillLosesItsSessionsWithinTheNodeTTL() throws {
        let cluster = try linkedCluster(nodes: 2)
        let bob = try cluster.nodes[1].join("crash", user: "bob")
        let alice = try cluster.nodes[0].join("crash", user: "alice")
        _ = try bob.waitFor("presence.join")
        try alice.send(["type": "typing", "data": ["target": "t", "active": true]])
        _ = try bob.waitFor("typing")
        cluster.nodes[0].kill()
        let leave = try bob.waitFor("presence.leave", timeout: 2.0 + 1.0 + 1.0)
        #expect(leave["user"] == "alice" && leave["reason"] == "timeout" && leave["sessions"] == 0)
        #expect(bob.client.skipped.contains { $0["type"] == "typing" && $0["reason"] == "left" })
    }

    @Test func aRollingRestartShowsNoFlickerAndSessionsThatDoNotReturnLeaveWithShutdown() throws {
        let cluster = try linkedCluster(nodes: 2)
        let bob = try cluster.nodes[1].join("rolling", user: "bob")
        let alice = try cluster.nodes[0].join("rolling", user: "alice")
        let carol = try cluster.nodes[0].join("rolling", user: "carol")
        _ = try bob.waitFor("presence.join", where: { $0["user"] == "carol" })
        let before = bob.client.skipped.count
        // SIGTERM, as a rolling restart sends it; the client answers the 1001 at once.
        kill(cluster.nodes[0].pid, SIGTERM)
        #expect(try alice.client.expectClose() == 1001)
        _ = carol
        let back = try cluster.nodes[1].join("rolling", user: "alice", query: "session=\(alice.session)")
        #expect(back.welcome["resumed"] == true)
        #expect(cluster.nodes[0].stop() == 0)
        let leave = try bob.waitFor("presence.leave", timeout: 5)
        #expect(leave["user"] == "carol" && leave["reason"] == "shutdown")
        #expect(!bob.client.skipped[before...].contains { $0["user"] == "alice" && ($0["type"] == "presence.leave" || $0["type"] == "presence.join") })
    }

    @Test func aRedisOutageKeepsNodesServingAndConvergesAfterwards() throws {
        let cluster = try linkedCluster(nodes: 2)
        let bob = try cluster.nodes[1].join("outage", user: "bob")
        let alice = try cluster.nodes[0].join("outage", user: "alice")
        let erin = try cluster.nodes[0].join("outage", user: "erin")
        _ = try bob.waitFor("presence.join", where: { $0["user"] == "erin" })

        cluster.redis.kill()
        try waitUntil("node-a sees Redis gone") { try cluster.nodes[0].get("/healthz").json?["cluster"]?["redis"] == "disconnected" }
        // Each node goes on serving its own sessions.
        let dave = try cluster.nodes[0].join("outage", user: "dave")
        _ = try alice.waitFor("presence.join", where: { $0["user"] == "dave" })
        try alice.send(["type": "notes.add", "id": "n1", "data": ["subject": "contact:1", "body": "during the outage"]])
        #expect(try alice.waitFor("ack")["seq"] == 1)
        try erin.send(["type": "leave"])
        _ = dave

        try cluster.redis.restart()
        try cluster.waitUntilLinked()
        // Presence converges (dave joined and erin left while Bob's node could
        // not hear), and the event written meanwhile reaches Bob from storage;
        // in whatever order these three come.
        var seen: [JSONValue] = []
        try waitUntil("Bob's node has caught up", timeout: 10) {
            if case .text(let text)? = try bob.client.receiveIfAny(timeout: 0.2) { seen.append(try JSONParser.parse(text)) }
            return seen.contains { $0["type"] == "presence.join" && $0["user"] == "dave" }
                && seen.contains { $0["type"] == "presence.leave" && $0["user"] == "erin" }
                && seen.contains { $0["type"] == "notes.added" && $0["seq"] == 1 }
        }
        try bob.send(["type": "notes.add", "id": "n2", "data": ["subject": "contact:1", "body": "after"]])
        #expect(try alice.waitFor("notes.added", where: { $0["seq"] == 2 })["seq"] == 2)
    }

    @Test func theServerAPIWorksFromAnyNodeAndCoversEveryNode() throws {
        let cluster = try linkedCluster(nodes: 3)
        let alice = try cluster.nodes[0].join("api", user: "alice")
        let bob = try cluster.nodes[1].join("api", user: "bob")
        _ = try alice.waitFor("presence.join")
        let other = cluster.nodes[2]
        #expect(try other.post("/api/workspaces/api/publish", json: ["type": "app.hello", "data": ["n": 1]]).status == 200)
        #expect(try bob.waitFor("app.hello")["data"] == ["n": 1])
        #expect(try alice.waitFor("app.hello")["by"] == ["user": "server"])
        #expect(try other.get("/api/workspaces").json?["workspaces"] == [["workspace": "api", "users": 2, "sessions": 2]])
        let sessions = try other.get("/api/workspaces/api/sessions").json?["sessions"]?.arrayValue ?? []
        #expect(Set(sessions.compactMap { $0["session"]?.stringValue }) == [alice.session, bob.session])
        #expect(try other.post("/api/users/alice/disconnect", json: [:]).status == 200)
        #expect(try alice.client.expectClose() == 4003)
        let leave = try bob.waitFor("presence.leave")
        #expect(leave["user"] == "alice" && leave["reason"] == "kicked")
    }
}
