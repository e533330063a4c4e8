import Foundation
import HuddlePluginKit
import HuddleTestSupport
import Testing
@testable import HuddleStore

/// Several processes on one PostgreSQL database, as the nodes of a cluster
/// are: here, several stores, each with its own connection and thread.
@Suite(.enabled(if: TestStorage.isPostgres, "needs the test PostgreSQL server (scripts/test starts one)"))
struct PostgresSharedDatabaseTests {
    @Test func writersOnSeveralConnectionsGetGapFreeSeqsAndNoLostUpdate() throws {
        let directory = try TemporaryDirectory(prefix: "huddle-shared")
        let location = try TestStorage.fresh(file: "unused", in: directory)
        let stores = try (0..<3).map { _ in try Store(location: location, historyLimit: 10_000, deliver: { $0() }) }
        defer { stores.forEach { $0.close() } }
        let plugin = CounterPlugin()
        let writesEach = 60
        let lock = NSLock()
        var events: [CommittedEvent] = []
        let group = DispatchGroup()
        DispatchQueue.concurrentPerform(iterations: stores.count) { index in
            for _ in 0..<writesEach {
                group.enter()
                stores[index].submit(StoreFixture.request("add", workspace: "shared"), plugin: plugin,
                                     pluginName: CounterPlugin.name) { reply in
                    if let event = reply.event { lock.withLock { events.append(event) } }
                    group.leave()
                }
            }
        }
        group.wait()
        let total = stores.count * writesEach
        #expect(events.map(\.seq).sorted() == Array(1...total))
        // Each add reads the counter and writes it back +1: a write that read a
        // stale counter would show a total different from its seq.
        #expect(events.allSatisfy { $0.data["total"]?.intValue == $0.seq })
        let replayed = try #require(Self.events(of: stores[0], workspace: "shared").page)
        #expect(replayed.events.map(\.seq) == Array(1...total))
        #expect(replayed.latestSeq == total)
    }

    @Test func storesStartingTogetherMigrateOnceAndShareOneEpoch() throws {
        let directory = try TemporaryDirectory(prefix: "huddle-shared")
        let location = try TestStorage.fresh(file: "unused", in: directory)
        let lock = NSLock()
        var stores: [Store] = []
        var failures: [Error] = []
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                let store = try Store(location: location, historyLimit: 100, deliver: { $0() })
                lock.withLock { stores.append(store) }
            } catch {
                lock.withLock { failures.append(error) }
            }
        }
        defer { stores.forEach { $0.close() } }
        #expect(failures.isEmpty, "\(failures)")
        #expect(stores.count == 4)
        #expect(Set(stores.map(\.epoch)).count == 1)
        #expect(stores.allSatisfy { $0.epoch?.hasPrefix("e_") == true && $0.isHealthy })
    }

    @Test func aStoreSeesSeqsAnotherStoreCommittedWhenItConnects() throws {
        let directory = try TemporaryDirectory(prefix: "huddle-shared")
        let location = try TestStorage.fresh(file: "unused", in: directory)
        let first = try Store(location: location, historyLimit: 100, deliver: { $0() })
        defer { first.close() }
        for _ in 0..<3 { _ = Self.send(StoreFixture.request("add", workspace: "w"), to: first) }
        let second = try Store(location: location, historyLimit: 100, deliver: { $0() })
        defer { second.close() }
        #expect(second.initialSeqs == ["w": 3])
        #expect(Self.send(StoreFixture.request("add", workspace: "w"), to: second).event?.seq == 4)
    }

    private static func send(_ request: PluginRequest, to store: Store) -> PluginReply {
        var reply: PluginReply?
        let done = DispatchSemaphore(value: 0)
        store.submit(request, plugin: CounterPlugin(), pluginName: CounterPlugin.name) {
            reply = $0
            done.signal()
        }
        done.wait()
        return reply!
    }

    private static func events(of store: Store, workspace: String) -> Result<EventPage, HistoryError> {
        var page: Result<EventPage, HistoryError>?
        let done = DispatchSemaphore(value: 0)
        store.events(workspace: workspace, since: 0, epoch: nil, limit: nil) {
            page = $0
            done.signal()
        }
        done.wait()
        return page!
    }
}
