import Testing
@testable import HuddleStore

@Suite struct StoreHistoryTests {
    /// A store with `count` writes in workspace `w1`.
    private func fixture(writes count: Int, historyLimit: Int = 10_000) throws -> StoreFixture {
        let fixture = try StoreFixture(historyLimit: historyLimit)
        for _ in 0..<count { _ = fixture.send("add") }
        return fixture
    }

    @Test func retentionKeepsExactlyHistoryLimitEvents() throws {
        let fixture = try fixture(writes: 12, historyLimit: 5)
        _ = fixture.send("add", workspace: "other")
        let page = try #require(fixture.events(since: 7).page)
        #expect(page.events.map(\.seq) == [8, 9, 10, 11, 12])
        #expect(page.latestSeq == 12)
        #expect(fixture.events("other", since: 0).page?.events.map(\.seq) == [1])
    }

    @Test func eventsSinceReturnsLaterEventsInOrderWithLatestAndEpoch() throws {
        let fixture = try fixture(writes: 6)
        let page = try #require(fixture.events(since: 2, epoch: fixture.store.epoch!).page)
        #expect(page.events.map(\.seq) == [3, 4, 5, 6])
        #expect(page.events.map { $0.data["total"] } == [3, 4, 5, 6])
        #expect(page.latestSeq == 6)
        #expect(page.epoch == fixture.store.epoch)
    }

    @Test func replayedEventMessageEqualsTheBroadcastOne() throws {
        let fixture = try StoreFixture()
        let broadcast = try #require(fixture.send("add", data: ["amount": 9]).event)
        let replayed = try #require(fixture.events(since: 0).page?.events.first)
        #expect(replayed.message == broadcast.message)
        #expect(replayed.by == broadcast.by)
    }

    @Test func eventsLimitCutsThePageButKeepsLatest() throws {
        let fixture = try fixture(writes: 6)
        let page = try #require(fixture.events(since: 1, limit: 2).page)
        #expect(page.events.map(\.seq) == [2, 3])
        #expect(page.latestSeq == 6)
    }

    @Test func eventsSinceLatestIsEmpty() throws {
        let fixture = try fixture(writes: 3)
        #expect(fixture.events(since: 3).page?.events.isEmpty == true)
        #expect(fixture.events("never-written", since: 0).page?.latestSeq == 0)
    }

    @Test func sinceOlderThanHistoryLimitIsGone() throws {
        let fixture = try fixture(writes: 12, historyLimit: 5)
        #expect(fixture.events(since: 7).page != nil)
        #expect(fixture.events(since: 6).historyError == .gone(latestSeq: 12, epoch: fixture.store.epoch!))
    }

    @Test func sinceAboveLatestIsGone() throws {
        let fixture = try fixture(writes: 3)
        #expect(fixture.events(since: 4).historyError == .gone(latestSeq: 3, epoch: fixture.store.epoch!))
        #expect(fixture.events("never-written", since: 1).historyError == .gone(latestSeq: 0, epoch: fixture.store.epoch!))
    }

    @Test func wrongEpochIsGone() throws {
        let fixture = try fixture(writes: 3)
        #expect(fixture.events(since: 1, epoch: "e_other").historyError == .gone(latestSeq: 3, epoch: fixture.store.epoch!))
    }

    @Test func sinceWhoseEventsWereTrimmedUnderASmallerLimitIsGone() throws {
        let fixture = try fixture(writes: 12, historyLimit: 5)
        try fixture.reopen(historyLimit: 100)
        #expect(fixture.events(since: 6).historyError == .gone(latestSeq: 12, epoch: fixture.store.epoch!))
        #expect(fixture.events(since: 7).page?.events.count == 5)
    }

    @Test func historyReadSeesEveryWriteQueuedBeforeIt() throws {
        let fixture = try StoreFixture()
        for _ in 0..<20 {
            fixture.store.submit(StoreFixture.request("add"), plugin: fixture.plugin, pluginName: CounterPlugin.name) { _ in }
        }
        let page = try #require(fixture.events(since: 0).page)
        #expect(page.latestSeq == 20)
        #expect(page.events.map(\.seq) == Array(1...20))
    }
}
