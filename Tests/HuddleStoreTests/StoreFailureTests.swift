import Foundation
import HuddleTestSupport
import Testing
@testable import HuddleStore

/// Storage failures on real files: a write-protected database and a lock
/// held by another connection past the busy timeout.
@Suite(.enabled(if: !TestStorage.isPostgres, "SQLite files; PostgreSQLFaultTests covers PostgreSQL"))
struct StoreFailureTests {
    @Test func readOnlyFileAnswersUnavailableUntilItIsWritableAgain() throws {
        let fixture = try StoreFixture()
        #expect(fixture.send("add").event?.seq == 1)
        fixture.store.close()
        try FileProtection.setWritable(fixture.path, false)
        defer { try? FileProtection.setWritable(fixture.path, true) }

        try fixture.reopen()
        #expect(fixture.store.isHealthy == false)
        #expect(fixture.send("add").error?.code == .unavailable)
        #expect(fixture.store.isHealthy == false)
        #expect(fixture.log.contains { $0.contains("storage failed") })

        try FileProtection.setWritable(fixture.path, true)
        let healed = fixture.send("add").event
        #expect(healed?.seq == 2)
        #expect(healed?.data == ["amount": 1, "total": 2])
        #expect(fixture.store.isHealthy)
    }

    @Test func lockHeldPastBusyTimeoutFailsTheWholeBatchAndHeals() throws {
        let fixture = try StoreFixture(busyTimeoutMilliseconds: 20)
        #expect(fixture.send("add").event?.seq == 1)
        let blocker = try SQLiteConnection(path: fixture.path, create: false)
        try blocker.execute("BEGIN IMMEDIATE")

        var replies: [PluginReply] = []
        let group = DispatchGroup()
        for action in ["add", "get", "add"] {
            group.enter()
            fixture.store.submit(StoreFixture.request(action), plugin: fixture.plugin, pluginName: CounterPlugin.name) { reply in
                replies.append(reply)
                group.leave()
            }
        }
        group.wait()
        #expect(replies.map { $0.error?.code } == [.unavailable, .unavailable, .unavailable])
        #expect(fixture.store.isHealthy == false)

        try blocker.execute("ROLLBACK")
        blocker.close()
        let healed = fixture.send("add").event
        #expect(healed?.seq == 2)
        #expect(healed?.data == ["amount": 1, "total": 2])
        #expect(fixture.store.isHealthy)
    }

    @Test func historyReadWhileLockedStillWorks() throws {
        // WAL readers never wait for the writer, so replays go on while writes fail.
        let fixture = try StoreFixture(busyTimeoutMilliseconds: 20)
        _ = fixture.send("add")
        let blocker = try SQLiteConnection(path: fixture.path, create: false)
        try blocker.execute("BEGIN IMMEDIATE")
        defer { blocker.close() }
        #expect(fixture.events(since: 0).page?.events.map(\.seq) == [1])
    }

    @Test func openingAPathThatCannotBeCreatedNamesThePath() throws {
        let fixture = try StoreFixture()
        let blocked = fixture.directory.file("plain-file")
        #expect(FileManager.default.createFile(atPath: blocked, contents: Data()))
        let path = blocked + "/sub/huddle.sqlite"
        do {
            _ = try Store(path: path, historyLimit: 10, deliver: { $0() })
            Issue.record("opening under a plain file succeeded")
        } catch let error as StoreOpenError {
            #expect(error.path == path)
            #expect(error.description.contains(path))
        }
    }
}

/// Makes a file read-only for real: `chmod` for ordinary users; root ignores
/// permissions, so there the immutable attribute (`chattr +i`) is used.
enum FileProtection {
    struct CommandFailed: Error { let status: Int32 }

    static func setWritable(_ path: String, _ writable: Bool) throws {
        if geteuid() == 0 {
            let chattr = Process()
            chattr.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
            chattr.arguments = [writable ? "-i" : "+i", path]
            try chattr.run()
            chattr.waitUntilExit()
            guard chattr.terminationStatus == 0 else { throw CommandFailed(status: chattr.terminationStatus) }
        } else {
            try FileManager.default.setAttributes([.posixPermissions: writable ? 0o644 : 0o444], ofItemAtPath: path)
        }
    }
}
