import Foundation
import HuddlePluginKit
import HuddleTestSupport
import Testing
@testable import HuddleStore

/// The WAL is copied back into the database file by the checkpoint thread
/// (SQLiteCheckpointer), not inside the commits: under steady writes it must
/// stay short, and the thread must be the one doing the copying.
@Suite struct SQLiteCheckpointTests {
    static let writes = 2000

    @Test func walStaysShortUnderSteadyWritesAndTheCheckpointThreadCopiesIt() throws {
        let directory = try TemporaryDirectory(prefix: "huddle-checkpoint")
        let path = directory.file("huddle.sqlite")
        let database = try SQLiteDatabase(settings: .init(path: path, historyLimit: 100, busyTimeoutMilliseconds: 1000))
        defer { database.close() }
        var longestWAL: UInt64 = 0
        for index in 0..<Self.writes {
            // One commit per write, as when requests arrive one at a time.
            let written = database.transaction(plugin: "checkpoint", workspace: "w1") { records in
                try records.insert(StoredRecord.first(id: "r\(index)", value: ["index": .int(index)]), kind: "row")
            }
            #expect((try? written.get()) != nil)
            longestWAL = max(longestWAL, try fileSize(path + "-wal"))
        }
        // SQLite's default page is 4 KiB; a few checkpoint intervals of slack.
        let walBound = UInt64(5 * SQLiteCheckpointer.walPagesThreshold) * 4096
        #expect(longestWAL < walBound, "the WAL reached \(longestWAL) bytes")
        #expect(database.checkpointer.passesThatCopiedPages > 0)
        #expect(try fileSize(path) > UInt64(Self.writes) * 16, "the rows reached the database file")
    }

    private func fileSize(_ path: String) throws -> UInt64 {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.uint64Value ?? 0
    }
}
