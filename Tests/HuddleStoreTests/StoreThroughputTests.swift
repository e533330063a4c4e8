import Foundation
import Testing
@testable import HuddleStore

/// Prints the group-commit throughput; asserts only that every write was acknowledged without gaps.
@Suite struct StoreThroughputTests {
    static let sessions = 100
    static let writesPerSession = 100
    static let workspaces = 10

    @Test func tenThousandSmallWritesFromHundredSessionsAreAllAcked() throws {
        let fixture = try StoreFixture()
        let lock = NSLock()
        var seqs: [String: [Int]] = [:]
        let group = DispatchGroup()
        let clock = ContinuousClock()
        let started = clock.now
        DispatchQueue.concurrentPerform(iterations: Self.sessions) { session in
            let workspace = "w\(session % Self.workspaces)"
            for _ in 0..<Self.writesPerSession {
                group.enter()
                let request = StoreFixture.request("add", workspace: workspace)
                fixture.store.submit(request, plugin: fixture.plugin, pluginName: CounterPlugin.name) { reply in
                    lock.withLock { seqs[workspace, default: []].append(reply.event?.seq ?? -1) }
                    group.leave()
                }
            }
        }
        group.wait()
        let elapsed = clock.now - started
        let total = Self.sessions * Self.writesPerSession
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("HuddleStore throughput: \(total) acked writes in \(String(format: "%.3f", seconds)) s = "
            + "\(Int(Double(total) / seconds)) writes/s (synchronous=FULL, group commit)")
        let perWorkspace = total / Self.workspaces
        for workspace in seqs.keys { #expect(seqs[workspace]?.sorted() == Array(1...perWorkspace)) }
        #expect(seqs.count == Self.workspaces)
    }
}
