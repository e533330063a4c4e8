import Foundation
import HuddlePluginKit
import Testing
@testable import HuddleStore

@Suite struct StoreBacklogTests {
    @Test func aBacklogIsTakenInBatchesOfAtMostMaxBatchJobs() {
        let started = DispatchSemaphore(value: 0)
        let gate = DispatchSemaphore(value: 0)
        var batchSizes: [Int] = []
        let thread = StoreThread<Int>(name: "backlog-test", process: { jobs in
            if jobs == [0] {
                started.signal()
                gate.wait()
            }
            batchSizes.append(jobs.count)
        }, finish: {})
        _ = thread.enqueue(0)
        started.wait()
        let backlog = 2 * StoreThread<Int>.maxBatch + 10
        for job in 1...backlog { _ = thread.enqueue(job) }
        gate.signal()
        thread.stop()
        #expect(batchSizes == [1, StoreThread<Int>.maxBatch, StoreThread<Int>.maxBatch, 10])
    }

    @Test func shutDownFinishesTheBatchUnderWayAndAnswersTheRestUnavailableWithoutWritingThem() throws {
        let fixture = try StoreFixture()
        let busy = DispatchSemaphore(value: 0)
        let gate = DispatchSemaphore(value: 0)
        // Holds the store thread inside one transaction while requests queue up.
        let holder = Thread {
            _ = try? fixture.store.withRecordStore(plugin: CounterPlugin.name, workspace: "w1") { records in
                try records.insert(StoredRecord.first(id: "held", value: [:]), kind: "marker")
                busy.signal()
                gate.wait()
            }
        }
        holder.start()
        busy.wait()

        let queued = 10
        var replies: [PluginReply] = []
        let answered = DispatchSemaphore(value: 0)
        for _ in 0..<queued {
            fixture.store.submit(StoreFixture.request("add"), plugin: fixture.plugin, pluginName: CounterPlugin.name) { reply in
                replies.append(reply)
                answered.signal()
            }
        }
        let stopped = DispatchSemaphore(value: 0)
        Thread {
            fixture.store.shutDown()
            stopped.signal()
        }.start()
        for _ in 0..<queued { answered.wait() }
        gate.signal()
        stopped.wait()

        #expect(replies.count == queued)
        #expect(replies.allSatisfy { $0.error?.code == .unavailable })
        let reopened = try fixture.reopen()
        #expect(fixture.events("w1", since: 0).page?.events.isEmpty == true)
        guard case .read(let counter) = fixture.send("get") else { Issue.record("expected a read"); return }
        #expect(counter == ["total": 0])
        #expect(try reopened.withRecordStore(plugin: CounterPlugin.name, workspace: "w1") {
            try $0.get(kind: "marker", id: "held") } != nil)
    }
}
