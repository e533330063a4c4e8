import Foundation
import HuddleJSON
import HuddleTestSupport
import Testing

/// The cluster test rig itself: real Redis, PostgreSQL, nodes and nginx
/// (as scripts/cluster runs them), before any cross-node behaviour is tested.
@Suite(.serialized)
struct ClusterProcessTests {
    @Test func everyNodeAnswersAndNginxTakesThemInTurn() throws {
        let cluster = try ClusterProcess(nodes: 3, nginx: true)
        let nginx = try #require(cluster.nginx)
        try cluster.waitUntilLinked()
        for (index, node) in cluster.nodes.enumerated() {
            let health = try HTTPTestClient.request(port: node.port, method: "GET", path: "/healthz")
            #expect(health.status == 200, "node on port \(node.port): \(node.standardError())")
            #expect(try ClusterProcess.health(of: node)?["cluster"]?["node"] == .string(ClusterProcess.nodeID(index)))
        }

        var served: [Int] = []
        for _ in 0..<(2 * cluster.nodes.count) {
            let answer = try HTTPTestClient.request(port: nginx.port, method: "GET", path: "/healthz")
            #expect(answer.status == 200)
            served.append(try #require(NginxServer.upstreamPort(in: answer.headers)))
        }
        // Round robin with no stickiness: every node, equally often.
        #expect(Set(served) == Set(cluster.nodes.map(\.port)))
        for node in cluster.nodes { #expect(served.filter { $0 == node.port }.count == 2) }
        #expect(nginx.accessLog().contains("upstream=127.0.0.1:\(cluster.nodes[0].port)"))
    }

    @Test func webSocketThroughNginxStaysOnTheNodeItNames() throws {
        let cluster = try ClusterProcess(nodes: 2, nginx: true)
        let nginx = try #require(cluster.nginx)
        let client = try WebSocketTestClient.connect(port: nginx.port, path: "/ws/rig?user=alice")
        #expect(try client.waitFor(type: "welcome")["user"]?["id"] == "alice")
        let port = try #require(NginxServer.upstreamPort(in: client.responseHeaders), "the 101 names its node")
        let index = try #require(cluster.nodeIndex(port: port))

        func connections(_ node: ServerProcess) throws -> Int? {
            try ClusterProcess.health(of: node)?["connections"]?.intValue
        }
        #expect(try connections(cluster.nodes[index]) == 1)
        #expect(try connections(cluster.nodes[1 - index]) == 0)
        try client.send(json: ["type": "ping", "id": 1])
        #expect(try client.waitFor(type: "pong")["id"] == 1)
    }

    @Test func killedNodeIsSkippedAndComesBackOnItsPortAfterRestart() throws {
        let cluster = try ClusterProcess(nodes: 2, nginx: true)
        let nginx = try #require(cluster.nginx)
        let port = cluster.nodes[1].port
        cluster.kill(node: 1)
        #expect(!cluster.nodes[1].isRunning)

        for _ in 0..<4 {
            let answer = try HTTPTestClient.request(port: nginx.port, method: "GET", path: "/healthz")
            #expect(answer.status == 200)
            #expect(NginxServer.upstreamPort(in: answer.headers) == cluster.nodes[0].port)
        }

        try cluster.restart(node: 1)
        #expect(cluster.nodes[1].port == port)
        #expect(try HTTPTestClient.request(port: port, method: "GET", path: "/healthz").status == 200)
        try waitUntil("nginx sends to the restarted node again", timeout: 20) {
            let answer = try HTTPTestClient.request(port: nginx.port, method: "GET", path: "/healthz")
            return NginxServer.upstreamPort(in: answer.headers) == port
        }
    }
}
