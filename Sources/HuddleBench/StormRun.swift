import HuddleLoop

/// Scenario S6, a reconnect storm: every session connects and sees its
/// workspace's presence; then all their TCP connections are reset in one loop
/// turn, as when a node dies, and every client reconnects at a moment spread
/// uniformly over the next second: even members resume with `?session=`
/// (inside the grace period), odd ones come back as new sessions of the same
/// user. Measured from the drop: when every session has its `welcome`, when
/// every session's view of presence is exactly its workspace's members again,
/// and the presence messages it took, those about the resumed half apart
/// (resuming must cost none).
public final class StormRun: BenchSessionOwner {
    static let pollMs: UInt64 = 20

    enum Phase {
        /// The first connections, then waiting for every view to be complete.
        case connecting
        /// From the drop until every session has converged.
        case storm
        /// Converged; presence is watched while the left-behind sessions' grace ends.
        case settling
        /// The server's own presence, workspace by workspace.
        case checking
        case done
    }

    let settings: BenchSettings
    let storm: StormSettings
    let target: BenchTarget
    let loop: EventLoop
    var random = FastRandom(seed: EventLoop.hrtimeNanos())
    var counters = StormCounters()
    private(set) var members: [StormMember] = []
    private(set) var phase = Phase.connecting

    private var memberOfSession: [ObjectIdentifier: StormMember] = [:]
    /// Every session id a member has held, before and after the drop.
    private var memberOfSessionID: [String: StormMember] = [:]
    /// Sessions the drop closed, kept until their close is reported (a
    /// session's callbacks do not keep it alive).
    private var dropped: [ObjectIdentifier: BenchSession] = [:]
    private var nextToOpen = 0
    private var connecting = 0
    private var initialSettled = 0
    private var convergedCount = 0
    private var reconnectOrder: [StormMember] = []
    private var nextReconnect = 0
    private let phaseTimer: LoopTimer
    private let reconnectTimer: LoopTimer

    private var connectStartNanos: UInt64 = 0
    private var connectEndNanos: UInt64 = 0
    private var dropNanos: UInt64 = 0
    private var reconnectBaseNanos: UInt64 = 0
    private var lastWelcomeNanos: UInt64?
    private var convergedNanos: UInt64?
    private var settleEndNanos: UInt64 = 0
    private var serverCPUAtDrop: UInt64?
    private var serverCPUAtConverged: UInt64?
    private var serverCPUAtSettleEnd: UInt64?
    private var ownCPUAtDrop: UInt64 = 0
    private var ownCPUAtConverged: UInt64?
    private var serverRSSBefore: UInt64?
    private var serverRSSAfter: UInt64?
    private var serverRSSPeak: UInt64?
    private var admissionBefore: AdmissionCounts?
    private var listenQueueBefore: ListenQueueCounters?

    public init(settings: BenchSettings, storm: StormSettings, target: BenchTarget) throws(LoopError) {
        self.settings = settings
        self.storm = storm
        self.target = target
        loop = try EventLoop()
        phaseTimer = LoopTimer(loop: loop)
        reconnectTimer = LoopTimer(loop: loop)
    }

    /// Runs the scenario and its checks; returns the figures.
    public func execute() -> StormReport {
        for workspaceIndex in 0..<settings.workspaces {
            for member in 0..<settings.sessionsPerWorkspace {
                members.append(StormMember(workspaceIndex: workspaceIndex, member: member,
                                           workspaceSize: settings.sessionsPerWorkspace))
            }
        }
        phaseTimer.start(afterMs: BenchRun.connectTimeoutMs) { [unowned self] in
            noteFailure("timed out connecting: \(counters.initialWelcomes) of \(members.count) welcomed")
            finish()
        }
        connectStartNanos = EventLoop.hrtimeNanos()
        openMore()
        if members.isEmpty { finish() }
        loop.run()
        loop.closeAll()
        return makeReport()
    }

    // MARK: Connecting

    /// The first connections, at most `BenchRun.maxConcurrentConnects` at once.
    private func openMore() {
        while connecting < BenchRun.maxConcurrentConnects && nextToOpen < members.count {
            connecting += 1
            open(members[nextToOpen])
            nextToOpen += 1
        }
    }

    private func open(_ member: StormMember) {
        let resuming = phase != .connecting && member.resumes
        let query = resuming ? member.oldSessionID.map { "session=\($0)" } ?? "" : ""
        let session = BenchSession(run: self, workspace: member.workspace, user: member.user,
                                   endpoint: target.endpoint(forMember: member.member), query: query)
        member.session = session
        memberOfSession[ObjectIdentifier(session)] = member
        session.open()
    }

    /// One of the first connections ended its handshake, either way.
    private func initialConnectSettled() {
        connecting -= 1
        initialSettled += 1
        guard initialSettled == members.count else { return openMore() }
        connectEndNanos = EventLoop.hrtimeNanos()
        guard counters.initialWelcomes == members.count else {
            noteFailure("only \(counters.initialWelcomes) of \(members.count) sessions connected; no storm")
            return finish()
        }
        // The last joins are still on their way to the first sessions.
        waitUntil({ [unowned self] in convergedCount == members.count },
                  timeoutReason: "presence never converged before the drop") { [unowned self] in
            readAdmissionCounts { [unowned self] counts in
                admissionBefore = counts
                drop()
            }
        }
    }

    // MARK: The storm

    /// Resets every connection in this loop turn, then schedules the reconnects.
    private func drop() {
        serverRSSBefore = ProcessUsage.sum(of: ProcessUsage.residentBytes, over: target.serverPIDs)
        serverCPUAtDrop = serverCPU()
        ownCPUAtDrop = ProcessUsage.ownCPUMicros()
        listenQueueBefore = ListenQueueCounters.read()
        counters.socketsReset = SocketReset.armAll(peerPorts: Set(target.endpoints.map(\.port)))
        phase = .storm
        dropNanos = EventLoop.hrtimeNanos()
        for member in members {
            if let session = member.session {
                memberOfSession[ObjectIdentifier(session)] = nil
                dropped[ObjectIdentifier(session)] = session
                session.close()
            }
            member.session = nil
            member.oldSessionID = member.sessionID
            member.view.removeAll()
            member.isConverged = false
        }
        convergedCount = 0
        // Closing 20,000 sockets takes a while: the reconnect moments count
        // from the last reset, as each client notices its own drop.
        reconnectBaseNanos = EventLoop.hrtimeNanos()
        counters.dropMs = Double(reconnectBaseNanos - dropNanos) / 1e6
        let spreadMs = storm.spreadSeconds * 1000
        for member in members {
            member.reconnectAtMs = spreadMs > 0 ? Double.random(in: 0..<spreadMs, using: &random) : 0
        }
        reconnectOrder = members.sorted { $0.reconnectAtMs < $1.reconnectAtMs }
        reconnectTimer.start(afterMs: 0, repeatMs: 1) { [unowned self] in reconnectDue() }
        phaseTimer.start(afterMs: UInt64(storm.timeoutSeconds * 1000)) { [unowned self] in
            noteFailure("not converged \(storm.timeoutSeconds) s after the drop: \(convergedCount) of \(members.count) sessions, "
                + "\(counters.welcomesAfterDrop) welcomed")
            endSettle()
        }
    }

    private func reconnectDue() {
        let elapsedMs = Double(EventLoop.hrtimeNanos() - reconnectBaseNanos) / 1e6
        while nextReconnect < reconnectOrder.count && reconnectOrder[nextReconnect].reconnectAtMs <= elapsedMs {
            let member = reconnectOrder[nextReconnect]
            counters.latestReconnectLagMs = max(counters.latestReconnectLagMs, elapsedMs - member.reconnectAtMs)
            counters.reconnects += 1
            if member.resumes { counters.resumesAsked += 1 }
            open(member)
            nextReconnect += 1
        }
        if nextReconnect == reconnectOrder.count { reconnectTimer.stop() }
    }

    /// Every session has converged: from now on presence is only watched.
    private func allConverged() {
        convergedNanos = EventLoop.hrtimeNanos()
        guard phase == .storm else { return }
        phase = .settling
        serverCPUAtConverged = serverCPU()
        ownCPUAtConverged = ProcessUsage.ownCPUMicros()
        phaseTimer.start(afterMs: UInt64(storm.settleSeconds * 1000)) { [unowned self] in endSettle() }
    }

    private func endSettle() {
        guard phase == .storm || phase == .settling else { return }
        phaseTimer.stop()
        reconnectTimer.stop()
        phase = .checking
        settleEndNanos = EventLoop.hrtimeNanos()
        serverCPUAtSettleEnd = serverCPU()
        counters.convergedAtEnd = convergedCount
        if let before = listenQueueBefore, let after = ListenQueueCounters.read() { counters.listenQueue = after - before }
        serverRSSAfter = ProcessUsage.sum(of: ProcessUsage.residentBytes, over: target.serverPIDs)
        serverRSSPeak = ProcessUsage.sum(of: ProcessUsage.peakResidentBytes, over: target.serverPIDs)
        readAdmissionCounts { [unowned self] counts in
            if let counts, let admissionBefore {
                counters.serverEvictions = counts.evicted - admissionBefore.evicted
                counters.serverShed = counts.shed - admissionBefore.shed
            }
            checkServerPresence(workspaceIndex: 0) { [unowned self] in finish() }
        }
    }

    // MARK: What the sessions see

    func sessionWelcomed(_ session: BenchSession, welcome: UnsafeRawBufferPointer) {
        guard let member = memberOfSession[ObjectIdentifier(session)] else { return }
        if let id = PresenceScan.session(in: welcome) {
            member.sessionID = id
            memberOfSessionID[id] = member
        }
        member.view.removeAll()
        PresenceScan.forEachWelcomeUser(in: welcome) { user in see(user, present: true, by: member) }
        if phase == .connecting {
            counters.initialWelcomes += 1
            updateConvergence(of: member)
            initialConnectSettled()
            return
        }
        counters.welcomesAfterDrop += 1
        lastWelcomeNanos = EventLoop.hrtimeNanos()
        if member.resumes {
            if PresenceScan.isResumed(welcome) {
                counters.resumed += 1
                member.wasResumed = true
            } else {
                counters.resumesRefused += 1
                noteFailure("\(member.user) asked to resume \(member.oldSessionID ?? "-"); its welcome says \"resumed\": false")
            }
        }
        updateConvergence(of: member)
    }

    func presenceMessage(_ session: BenchSession, kind: ServerMessageKind, payload: UnsafeRawBufferPointer) {
        guard let member = memberOfSession[ObjectIdentifier(session)] else { return }
        if phase == .storm || phase == .settling {
            let about = PresenceScan.session(in: payload).flatMap { memberOfSessionID[$0] }
            let fromResumedHalf = about?.resumes ?? false
            about?.presenceAbout += 1
            if phase == .storm {
                counters.untilConverged.count(kind, fromResumedHalf: fromResumedHalf)
            } else {
                counters.inSettle.count(kind, fromResumedHalf: fromResumedHalf)
            }
        }
        // An update changes no one's presence; a leave with `sessions: 0` is the user going.
        guard kind != .presenceUpdate, let user = PresenceScan.user(in: payload) else { return }
        let present = kind == .presenceJoin || (PresenceScan.userSessions(in: payload) ?? 0) > 0
        see(user, present: present, by: member)
        updateConvergence(of: member)
    }

    /// Records in `member`'s view that `user` is (or is no longer) in the workspace.
    private func see(_ user: UnsafeRawBufferPointer, present: Bool, by member: StormMember) {
        if let (workspace, index) = StormUser.parse(user), workspace == member.workspaceIndex,
           index < settings.sessionsPerWorkspace {
            if present { member.view.insert(index) } else { member.view.remove(index) }
        } else {
            let name = String(decoding: user, as: UTF8.self)
            if present { member.view.insertGhost(name) } else { member.view.removeGhost(name) }
        }
    }

    private func updateConvergence(of member: StormMember) {
        let converged = member.session?.isWelcomed == true && member.view.isComplete
        guard converged != member.isConverged else { return }
        member.isConverged = converged
        if converged {
            convergedCount += 1
            if convergedCount == members.count && phase != .connecting { allConverged() }
        } else {
            if convergedCount == members.count && phase != .connecting { counters.convergenceLost += 1 }
            convergedCount -= 1
        }
    }

    func sessionFailed(_ session: BenchSession, reason: String) {
        if let member = memberOfSession[ObjectIdentifier(session)], isRetryable(session, of: member) {
            member.lastProblem = reason
        } else {
            noteFailure(reason)
        }
        // A connect that failed has no connection to report its end.
        if session.connection == nil { sessionEnded(session, error: nil) }
    }

    func sessionClosedByServer(_ session: BenchSession, code: UInt16?, reason: String) {
        counters.failures.noteServerClose(code: code, reason: reason)
    }

    func sessionEnded(_ session: BenchSession, error: LoopError?) {
        if dropped.removeValue(forKey: ObjectIdentifier(session)) != nil { return }
        guard let member = memberOfSession.removeValue(forKey: ObjectIdentifier(session)) else { return }
        if phase == .connecting && !session.isWelcomed {
            initialConnectSettled()
            return
        }
        let retry = isRetryable(session, of: member)
        guard member.session === session else { return }
        member.session = nil
        if retry {
            retryLater(member, reason: member.lastProblem ?? error.map { "\($0)" } ?? "closed before welcome")
        } else if phase == .storm || phase == .settling {
            noteFailure("\(member.user): connection ended after its welcome: \(error.map { "\($0)" } ?? "closed")")
            updateConvergence(of: member)
        }
    }

    /// A reconnect that ended before its welcome is tried again, as the
    /// bundled client does; one after the welcome is a failure.
    private func isRetryable(_ session: BenchSession, of member: StormMember) -> Bool {
        (phase == .storm || phase == .settling) && !session.isWelcomed && member.session === session
    }

    /// The bundled client's backoff (clients/js/huddle.js): half fixed, half
    /// random, doubling from `backoffBaseMs` up to `backoffCapMs`.
    private func retryLater(_ member: StormMember, reason: String) {
        counters.retries += 1
        member.retries += 1
        member.lastProblem = nil
        if counters.retryReasons.count < FailureLog.kept && !counters.retryReasons.contains(reason) {
            counters.retryReasons.append(reason)
        }
        let ceiling = min(storm.backoffCapMs, storm.backoffBaseMs * Double(1 << min(member.retries - 1, 20)))
        let delayMs = ceiling / 2 + Double.random(in: 0...(ceiling / 2), using: &random)
        let timer = member.retryTimer ?? LoopTimer(loop: loop)
        member.retryTimer = timer
        timer.start(afterMs: UInt64(delayMs.rounded())) { [unowned self, unowned member] in
            guard phase == .storm || phase == .settling else { return }
            open(member)
        }
    }

    func cursorRelayed(sentAt: UInt64?, receivedAt: UInt64) {}
    func requestAcked(_ session: BenchSession, sentAt: UInt64, receivedAt: UInt64, payload: UnsafeRawBufferPointer) {}
    func requestFailed(_ session: BenchSession, error: String) {}
    func otherMessage() {}

    private func noteFailure(_ reason: String) {
        counters.failures.note(reason)
    }

    // MARK: Helpers

    /// Polls `condition` until it holds (then `next`) or the timeout ends the run.
    private func waitUntil(_ condition: @escaping () -> Bool, timeoutReason: String, then next: @escaping () -> Void) {
        var waitedMs: UInt64 = 0
        phaseTimer.start(afterMs: 0, repeatMs: Self.pollMs) { [unowned self] in
            if condition() {
                phaseTimer.stop()
                next()
            } else if waitedMs >= UInt64(storm.timeoutSeconds * 1000) {
                noteFailure("\(timeoutReason): \(convergedCount) of \(members.count) sessions within \(storm.timeoutSeconds) s")
                finish()
            }
            waitedMs += Self.pollMs
        }
    }

    /// The servers' CPU time together; nil unless every one was read.
    private func serverCPU() -> UInt64? {
        ProcessUsage.sum(of: ProcessUsage.cpuMicros, over: target.serverPIDs)
    }

    func finish() {
        guard phase != .done else { return }
        phase = .done
        phaseTimer.close()
        reconnectTimer.close()
        // Reset rather than close: 20,000 sockets in TIME_WAIT would hold
        // most of the ephemeral ports for a minute and slow the next run's connects.
        _ = SocketReset.armAll(peerPorts: Set(target.endpoints.map(\.port)))
        for member in members {
            member.retryTimer?.close()
            member.session?.close()
        }
        loop.stop()
    }

    private func makeReport() -> StormReport {
        var report = measuredReport()
        report.destinations = target.endpoints.count
        return report
    }

    private func measuredReport() -> StormReport {
        for member in members where member.resumes {
            if member.wasResumed {
                counters.presenceAboutResumed += member.presenceAbout
            } else {
                counters.presenceAboutRefusedResumes += member.presenceAbout
            }
        }
        func seconds(_ end: UInt64?) -> Double? { end.map { Double($0 - dropNanos) / 1e9 } }
        func difference(_ start: UInt64?, _ end: UInt64?) -> UInt64? {
            guard let start, let end, end >= start else { return nil }
            return end - start
        }
        let allWelcomed = counters.welcomesAfterDrop == members.count && !members.isEmpty
        let firstReconnectNanos = reconnectBaseNanos + UInt64((reconnectOrder.first?.reconnectAtMs ?? 0) * 1e6)
        return StormReport(
            settings: settings, storm: storm, counters: counters,
            initialConnectSeconds: connectEndNanos > connectStartNanos ? Double(connectEndNanos - connectStartNanos) / 1e9 : nil,
            allWelcomedSeconds: allWelcomed ? seconds(lastWelcomeNanos) : nil,
            convergedSeconds: counters.convergedAtEnd == members.count ? seconds(convergedNanos) : nil,
            reconnectSeconds: allWelcomed ? lastWelcomeNanos.map { Double($0 - firstReconnectNanos) / 1e9 } : nil,
            serverCPUStormMicros: difference(serverCPUAtDrop, serverCPUAtConverged),
            serverCPUSettleMicros: difference(serverCPUAtConverged, serverCPUAtSettleEnd),
            ownCPUStormMicros: difference(ownCPUAtDrop, ownCPUAtConverged),
            settleSeconds: convergedNanos.map { settleEndNanos > $0 ? Double(settleEndNanos - $0) / 1e9 : 0 },
            serverRSSBefore: serverRSSBefore, serverRSSPeak: serverRSSPeak, serverRSSAfter: serverRSSAfter)
    }
}
