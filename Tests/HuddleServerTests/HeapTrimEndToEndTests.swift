import HuddleTestSupport
import Testing

/// After a burst of connections (a reconnect storm) the server gives its
/// free heap pages back to the system once the churn stops (HeapTrimmer).
@Suite struct HeapTrimEndToEndTests {
    @Test func aBurstOfConnectionsIsFollowedByATrimOnceItStops() throws {
        let server = try ServerProcess(environment: ["HUDDLE_LOG_LEVEL": "debug"])
        let trimmed = "heap trimmed after a burst of connections"
        #expect(!server.standardError().contains(trimmed))
        // Opened and closed: 1,100 connections, 2,200 changes, past the 1,000 of a burst.
        for _ in 0..<1100 { try RawHTTPConnection(port: server.port).close() }
        try waitUntil("the trim is logged") { server.standardError().contains(trimmed) }
        #expect(try server.get("/healthz").status == 200)
    }
}
