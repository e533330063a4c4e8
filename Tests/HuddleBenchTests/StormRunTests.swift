@testable import HuddleBench
import HuddleTestSupport
import Testing

/// S6 at a small size against a real server: what a user of the scenario
/// checks in its report.
@Suite(.serialized)
struct StormRunTests {
    static let settings = BenchSettings(workspaces: 3, sessionsPerWorkspace: 6, rateHz: 0, messageBytes: 0, durationSeconds: 0)

    /// A storm over 0.3 s, watched for a while after convergence that
    /// outlasts `graceMs`, against a fresh server with that grace.
    static func storm(graceMs: Int) throws -> StormReport {
        let server = try ServerProcess(environment: ["HUDDLE_PRESENCE_GRACE_MS": String(graceMs)])
        var storm = StormSettings()
        storm.spreadSeconds = 0.3
        storm.settleSeconds = Double(graceMs) / 1000 + 1
        let target = BenchTarget(endpoints: [BenchEndpoint(host: "127.0.0.1", port: server.port)], serverPIDs: [server.pid])
        return try StormRun(settings: settings, storm: storm, target: target).execute()
    }

    @Test func everySessionComesBackAndResumingCostsNoPresence() throws {
        let report = try Self.storm(graceMs: 1500)
        let counters = report.counters
        #expect(counters.failures.count == 0, "\(counters.failures.reasons)")
        #expect(counters.socketsReset == 18)
        #expect(counters.welcomesAfterDrop == 18)
        #expect(counters.resumesAsked == 9)
        #expect(counters.resumed == 9)
        #expect(report.allWelcomedSeconds != nil)
        #expect(report.convergedSeconds != nil)
        #expect(counters.convergedAtEnd == 18)
        #expect(counters.untilConverged.fromResumedHalf == 0)
        #expect(counters.inSettle.fromResumedHalf == 0)
        #expect(counters.presenceAboutResumed == 0 && counters.presenceAboutRefusedResumes == 0)
        // The new half joins again, and the sessions it left behind leave after their grace.
        #expect(counters.untilConverged.joins + counters.inSettle.joins > 0)
        #expect(counters.untilConverged.leaves + counters.inSettle.leaves > 0)
        #expect(counters.workspacesExact == 3, "\(counters.checkProblems)")
        #expect(counters.serverEvictions == 0 && counters.serverShed == 0)
        #expect(report.isClean)
        #expect(report.json["presence_from_resumed"]?.doubleValue == 0)
    }

    @Test func aServerThatForgetsDroppedSessionsFailsTheResumes() throws {
        let report = try Self.storm(graceMs: 0)
        let counters = report.counters
        #expect(counters.resumesRefused == 9)
        #expect(counters.resumed == 0)
        #expect(counters.untilConverged.fromResumedHalf + counters.inSettle.fromResumedHalf > 0)
        #expect(counters.presenceAboutRefusedResumes > 0 && counters.presenceAboutResumed == 0)
        #expect(!report.isClean)
        #expect(report.table.contains("asked to resume"))
    }
}
