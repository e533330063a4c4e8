import Foundation
import HuddlePluginKit
import HuddleTestSupport
import Testing
@testable import HuddleStore

@Suite struct StoreWriteTests {
    @Test func writesGetGaplessSeqsPerWorkspaceAcrossConcurrentSubmitters() throws {
        let fixture = try StoreFixture()
        let submitters = 8, writesEach = 40
        let lock = NSLock()
        var seqs: [String: [Int]] = [:]
        let group = DispatchGroup()
        DispatchQueue.concurrentPerform(iterations: submitters) { submitter in
            for _ in 0..<writesEach {
                let workspace = submitter.isMultiple(of: 2) ? "even" : "odd"
                group.enter()
                fixture.store.submit(StoreFixture.request("add", workspace: workspace), plugin: fixture.plugin,
                                     pluginName: CounterPlugin.name) { reply in
                    lock.withLock { seqs[workspace, default: []].append(reply.event?.seq ?? -1) }
                    group.leave()
                }
            }
        }
        group.wait()
        let perWorkspace = submitters / 2 * writesEach
        #expect(seqs["even"]?.sorted() == Array(1...perWorkspace))
        #expect(seqs["odd"]?.sorted() == Array(1...perWorkspace))
    }

    @Test func repliesArriveInSeqOrderForOneWorkspace() throws {
        let fixture = try StoreFixture()
        var seqs: [Int] = []
        let group = DispatchGroup()
        for _ in 0..<50 {
            group.enter()
            fixture.store.submit(StoreFixture.request("add"), plugin: fixture.plugin, pluginName: CounterPlugin.name) { reply in
                seqs.append(reply.event?.seq ?? -1)
                group.leave()
            }
        }
        group.wait()
        #expect(seqs == Array(1...50))
    }

    @Test func committedEventCarriesThePluginsDataAndAttribution() throws {
        let fixture = try StoreFixture()
        let event = try #require(fixture.send("add", data: ["amount": 5]).event)
        #expect(event.type == "counter.added")
        #expect(event.data == ["amount": 5, "total": 5])
        #expect(event.by == Attribution(user: "alice", name: "Alice", session: "s_test"))
        #expect(event.workspace == "w1")
        #expect(event.at.count == "2026-11-22T10:00:01.234Z".count && event.at.hasSuffix("Z"))
    }

    @Test func eventMessageIsTheWireEnvelope() throws {
        let fixture = try StoreFixture()
        let event = try #require(fixture.send(StoreFixture.request("add", session: nil)).event)
        let message = try JSONParser.parse(event.message)
        #expect(message == [
            "type": "counter.added", "seq": 1, "at": .string(event.at),
            "by": ["user": "alice", "name": "Alice", "session": nil], "data": ["amount": 1, "total": 1],
        ])
        #expect(event.message.starts(with: Array(#"{"type":"counter.added","seq":1,"#.utf8)))
    }

    @Test func readsReturnTheirResultAndTakeNoSeq() throws {
        let fixture = try StoreFixture()
        _ = fixture.send("add", data: ["amount": 3])
        guard case .read(let result) = fixture.send("get") else { Issue.record("expected a read"); return }
        #expect(result == ["total": 3])
        #expect(fixture.send("add").event?.seq == 2)
    }

    @Test func pluginErrorLeavesNoRecordNoEventAndNoGap() throws {
        let fixture = try StoreFixture()
        _ = fixture.send("add")
        let failure = fixture.send("fail").error
        #expect(failure?.code == .validationFailed)
        let records = try fixture.store.withRecordStore(plugin: CounterPlugin.name, workspace: "w1") { records in
            (try records.all(kind: "junk"), try records.get(kind: "counter", id: "total"))
        }
        #expect(records.0.isEmpty)
        #expect(records.1?.value == ["total": 1])
        #expect(fixture.events(since: 0).page?.events.map(\.seq) == [1])
        #expect(fixture.send("add").event?.seq == 2)
    }

    @Test func nonPluginErrorBecomesInternalAndIsLogged() throws {
        let fixture = try StoreFixture()
        #expect(fixture.send("crash").error?.code == .internal)
        #expect(fixture.log.contains { $0.contains("counter.crash") && $0.contains("Crash") })
        #expect(fixture.events(since: 0).page?.events.isEmpty == true)
        #expect(fixture.send("add").event?.data == ["amount": 1, "total": 1])
    }

    @Test func failingRequestDoesNotDisturbTheOthersOfItsBatch() throws {
        let fixture = try StoreFixture()
        var replies: [PluginReply] = []
        let group = DispatchGroup()
        for action in ["add", "fail", "add", "crash", "add"] {
            group.enter()
            fixture.store.submit(StoreFixture.request(action), plugin: fixture.plugin, pluginName: CounterPlugin.name) { reply in
                replies.append(reply)
                group.leave()
            }
        }
        group.wait()
        #expect(replies.map { $0.event?.seq } == [1, nil, 2, nil, 3])
        #expect(replies.last?.event?.data == ["amount": 1, "total": 3])
    }

    @Test(arguments: ["duplicate", "duplicateThenRead"])
    func aRequestThatWritesARecordWronglyFailsAloneAndLeavesNothing(action: String) throws {
        let fixture = try StoreFixture()
        var replies: [PluginReply] = []
        let group = DispatchGroup()
        for name in ["add", action, "add"] {
            group.enter()
            fixture.store.submit(StoreFixture.request(name), plugin: fixture.plugin, pluginName: CounterPlugin.name) { reply in
                replies.append(reply)
                group.leave()
            }
        }
        group.wait()
        #expect(replies.map { $0.event?.seq } == [1, nil, 2])
        #expect(replies[1].error?.code == .internal)
        #expect(replies.last?.event?.data == ["amount": 1, "total": 2])
        #expect(try fixture.store.withRecordStore(plugin: CounterPlugin.name, workspace: "w1") { try $0.all(kind: "junk") }.isEmpty)
        #expect(fixture.log.contains { $0.contains("counter") })
    }

    @Test func reopenKeepsEpochRecordsEventsAndSeqs() throws {
        let fixture = try StoreFixture()
        let epoch = fixture.store.epoch
        _ = fixture.send("add", workspace: "a")
        _ = fixture.send("add", workspace: "a")
        _ = fixture.send("add", workspace: "b")
        let reopened = try fixture.reopen()
        #expect(reopened.epoch == epoch)
        #expect(reopened.initialSeqs == ["a": 2, "b": 1])
        #expect(fixture.events("a", since: 0).page?.events.map(\.seq) == [1, 2])
        #expect(fixture.send("add", workspace: "a").event?.data == ["amount": 1, "total": 3])
        #expect(fixture.send("add", workspace: "a").event?.seq == 4)
    }

    @Test(.enabled(if: !TestStorage.isPostgres, "a SQLite file"))
    func aVersionOneFileKeepsItsEpochEventsAndSeqsThroughTheMigrations() throws {
        let fixture = try StoreFixture(prepareFile: { path in
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            let connection = try SQLiteConnection(path: path, create: true)
            try connection.execute(SQLiteSchema.migrations[0])
            try connection.execute("""
                INSERT INTO meta (key, value) VALUES ('epoch', 'e_before');
                INSERT INTO events (workspace, seq, type, at, by_user, by_name, by_session, data) VALUES
                    ('w1', 1, 'counter.added', '2026-11-22T10:00:00.000Z', 'alice', 'Alice', NULL, '{"total":1}'),
                    ('w1', 2, 'counter.added', '2026-11-22T10:00:01.000Z', 'alice', 'Alice', 's_1', '{"total":2}');
                PRAGMA user_version = 1;
                """)
            connection.close()
        })
        #expect(fixture.store.epoch == "e_before")
        let events = fixture.events("w1", since: 0).page?.events ?? []
        #expect(events.map(\.seq) == [1, 2])
        #expect(events.map(\.data) == [["total": 1], ["total": 2]])
        #expect(events.last?.by == Attribution(user: "alice", name: "Alice", session: "s_1"))
        #expect(fixture.send("add").event?.seq == 3)
    }

    @Test func newFileGetsNewEpoch() throws {
        let first = try StoreFixture()
        let second = try StoreFixture()
        let epoch = try #require(first.store.epoch)
        #expect(epoch != second.store.epoch)
        #expect(epoch.hasPrefix("e_"))
        #expect(epoch.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" })
    }

    @Test(.enabled(if: !TestStorage.isPostgres, "a SQLite file"))
    func openCreatesDirectoriesAndSetsUserVersion() throws {
        let fixture = try StoreFixture()
        #expect(FileManager.default.fileExists(atPath: fixture.path))
        fixture.store.close()
        let connection = try SQLiteConnection(path: fixture.path, create: false)
        #expect(try SQLiteDatabase.userVersion(connection) == SQLiteSchema.currentVersion)
        #expect(SQLiteSchema.currentVersion >= 1)
        connection.close()
    }

    @Test func submitAfterCloseAnswersUnavailable() throws {
        let fixture = try StoreFixture()
        fixture.store.close()
        #expect(fixture.send("add").error?.code == .unavailable)
    }
}
