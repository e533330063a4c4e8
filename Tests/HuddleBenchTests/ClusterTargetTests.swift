@testable import HuddleBench
import HuddleJSON
import Testing

/// `huddle bench` against several nodes: where each session goes, and how
/// the nodes' and Redis's CPU add up in the report.
struct ClusterTargetTests {
    @Test func nodeURLsAreReadWithOrWithoutSchemeAndSlash() {
        #expect(BenchEndpoint(url: "http://127.0.0.1:8081") == BenchEndpoint(host: "127.0.0.1", port: 8081))
        #expect(BenchEndpoint(url: "ws://localhost:9000/") == BenchEndpoint(host: "localhost", port: 9000))
        #expect(BenchEndpoint(url: "127.0.0.1:80") == BenchEndpoint(host: "127.0.0.1", port: 80))
        #expect(BenchEndpoint(url: "http://127.0.0.1") == nil)
        #expect(BenchEndpoint(url: "http://127.0.0.1:8081/ws") == nil)
        #expect(BenchEndpoint(url: "127.0.0.1:70000") == nil)
    }

    @Test func httpsAndWSSURLsConnectOverTLS() {
        #expect(BenchEndpoint(url: "https://127.0.0.1:8443") == BenchEndpoint(host: "127.0.0.1", port: 8443, usesTLS: true))
        #expect(BenchEndpoint(url: "wss://localhost:8443/") == BenchEndpoint(host: "localhost", port: 8443, usesTLS: true))
        #expect(BenchEndpoint(url: "http://127.0.0.1:8080")?.usesTLS == false)
    }

    @Test func repeatedAndCommaSeparatedURLsMakeOneListInOrder() {
        let (endpoints, invalid) = BenchEndpoint.list(["http://127.0.0.1:1,http://127.0.0.1:2", "127.0.0.1:3", "nonsense"])
        #expect(endpoints.map(\.port) == [1, 2, 3])
        #expect(invalid == ["nonsense"])
    }

    @Test func membersOfAWorkspaceAreSplitAcrossNodesInTurn() {
        let target = BenchTarget(endpoints: [BenchEndpoint(host: "127.0.0.1", port: 1), BenchEndpoint(host: "127.0.0.1", port: 2)])
        #expect((0..<5).map { target.endpoint(forMember: $0).port } == [1, 2, 1, 2, 1])
    }

    @Test func reportAddsUpNodesAndRedisPerDeliveredMessage() throws {
        let report = Self.report(nodeCPUMicros: [1_000, 3_000], redisCPUMicros: 1_000, relaysReceived: 500)
        #expect(report.serverCPUMicros == 4_000)
        #expect(report.serverCPUMicrosPerMessage == 8)
        #expect(report.clusterCPUMicrosPerMessage == 10)
        let json = report.json
        #expect(json["node_1_cpu_ms"]?.doubleValue == 1)
        #expect(json["node_2_cpu_ms"]?.doubleValue == 3)
        #expect(json["redis_cpu_ms"]?.doubleValue == 1)
        #expect(report.table.contains("nodes + Redis CPU/delivered msg (µs)"))
    }

    @Test func aNodeThatCouldNotBeReadLeavesNoTotal() {
        let report = Self.report(nodeCPUMicros: [1_000, nil], redisCPUMicros: nil, relaysReceived: 500)
        #expect(report.serverCPUMicros == nil)
        #expect(report.clusterCPUMicrosPerMessage == nil)
        #expect(report.json["node_2_cpu_ms"] == .null)
    }

    static func report(nodeCPUMicros: [UInt64?], redisCPUMicros: UInt64?, relaysReceived: UInt64) -> BenchReport {
        BenchReport(scenario: .s1, settings: BenchScenario.s1.preset, sessionsWelcomed: 500, failures: [], failureCount: 0,
                    serverCloses: 0, droppedDuringWindow: 0, connectSeconds: 1, windowSeconds: 20,
                    cursorsSent: 10, relaysExpected: relaysReceived, relaysReceived: relaysReceived,
                    requestsSent: 0, acks: 0, requestErrors: 0, firstRequestError: nil, otherMessages: 0,
                    latency: LatencyHistogram(), nodeCPUMicros: nodeCPUMicros, redisCPUMicros: redisCPUMicros,
                    ownCPUMicros: 1, serverMemoryBefore: nil, serverMemoryAfter: nil)
    }
}
