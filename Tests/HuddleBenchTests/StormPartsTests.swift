@testable import HuddleBench
import Testing

/// The pieces of S6 that need no server: reading presence from the bytes
/// the server writes, the per-session view, and the descriptor budget.
struct StormPartsTests {
    static func withBytes<T>(_ text: String, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        Array(text.utf8).withUnsafeBytes(body)
    }

    @Test func welcomeUsersAreReadWithoutTheirSessionsOrTheTypingList() {
        let welcome = #"{"type":"welcome","session":"s_new","resumed":true,"user":{"id":"r0-1","name":"r0-1"},"#
            + #""presence":[{"user":"r0-0","name":"a \"user\":\"x\"","sessions":[{"session":"s_1","meta":{"user":"r9-9"}}]},"#
            + #"{"user":"r0-1","name":"b","sessions":[]}],"typing":[{"user":"r0-7","session":"s_1"}]}"#
        let users = Self.withBytes(welcome) { bytes in
            var users: [String] = []
            PresenceScan.forEachWelcomeUser(in: bytes) { users.append(String(decoding: $0, as: UTF8.self)) }
            return users
        }
        #expect(users == ["r0-0", "r0-1"])
        #expect(Self.withBytes(welcome, PresenceScan.session) == "s_new")
        #expect(Self.withBytes(welcome, PresenceScan.isResumed))
    }

    @Test func aLeaveSaysWhoseSessionAndHowManyTheUserHasLeft() {
        let leave = #"{"type":"presence.leave","user":"r2-5","session":"s_9","sessions":12,"reason":"closed"}"#
        #expect(Self.withBytes(leave) { ServerMessageKind.of($0) } == .presenceLeave)
        #expect(Self.withBytes(leave, PresenceScan.session) == "s_9")
        #expect(Self.withBytes(leave, PresenceScan.userSessions) == 12)
        let user = Self.withBytes(leave) { PresenceScan.user(in: $0).flatMap(StormUser.parse) }
        #expect(user?.workspace == 2 && user?.member == 5)
    }

    @Test func onlyUserIdsOfTheStormsFormMapToMembers() {
        for id in ["r1", "r1-", "x1-2", "r1-2x", "r-2", ""] {
            #expect(Self.withBytes(id, StormUser.parse) == nil, "\(id)")
        }
        #expect(StormUser.id(workspace: 3, member: 17) == "r3-17")
    }

    @Test func aViewIsCompleteWithEveryMemberAndNoGhost() {
        var view = PresenceView(size: 70)
        for member in 0..<70 { view.insert(member) }
        view.insert(69)
        #expect(view.count == 70 && view.isComplete)
        view.insertGhost("someone")
        #expect(!view.isComplete)
        view.removeGhost("someone")
        view.remove(64)
        #expect(!view.isComplete && !view.contains(64) && view.contains(63))
    }

    @Test func sessionsAreCutToWhatFitsTheDescriptorsWithAMargin() {
        let budget = DescriptorBudget(limit: 20_000, owner: "server 42")
        #expect(budget.sessionsPerWorkspace(wanted: 100, workspaces: 200) == 99)
        #expect(budget.reductionNote(wanted: 100, workspaces: 200)?.hasPrefix("fd limit 20,000 (server 42): 200 × 99 = 19,800 sessions") == true)
        #expect(budget.sessionsPerWorkspace(wanted: 50, workspaces: 200) == 50)
        #expect(budget.reductionNote(wanted: 50, workspaces: 200) == nil)
    }

    @Test func theServersOpenFilesLimitIsItsSoftLimit() {
        let limits = """
            Limit                     Soft Limit           Hard Limit           Units
            Max processes             95542                95542                processes
            Max open files            20000                20000                files
            """
        #expect(DescriptorBudget.openFilesLimit(inLimits: limits) == 20_000)
        #expect(DescriptorBudget.openFilesLimit(inLimits: "Max open files  unlimited  unlimited  files") == Int.max)
    }

    @Test func theServersAdmissionCountersAreReadFromMetrics() {
        let metrics = """
            # HELP huddle_connections_shed_total Waiting connections closed at once while out of file descriptors.
            # TYPE huddle_connections_shed_total counter
            huddle_connections_shed_total 3
            huddle_http_connections_evicted_total 65399
            huddle_http_connections 1
            """
        #expect(StormRun.admissionCounts(inMetrics: metrics) == StormRun.AdmissionCounts(evicted: 65_399, shed: 3))
        #expect(StormRun.admissionCounts(inMetrics: "huddle_http_connections 1") == nil)
    }

    @Test func listenQueueOverflowsAreReadFromTheTcpExtLines() {
        let netstat = """
            TcpExt: SyncookiesSent ListenOverflows ListenDrops TCPSynRetrans
            TcpExt: 1 20 21 300
            IpExt: InNoRoutes
            IpExt: 0
            """
        let counters = ListenQueueCounters.parse(netstat)
        #expect(counters == ListenQueueCounters(listenOverflows: 20, listenDrops: 21, synRetransmits: 300))
        #expect(ListenQueueCounters.parse("IpExt: InNoRoutes\nIpExt: 0") == nil)
    }
}
