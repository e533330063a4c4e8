import HuddleJSON
import HuddleLoop

/// One run of the generator on one loop and one thread: connect every
/// session, wait for every `welcome`, drive the scenario's workload for the
/// window, drain, and measure.
public final class BenchRun: BenchSessionOwner {
    /// Connections whose handshake is under way at once; more would overflow
    /// the server's accept backlog and measure SYN retries instead.
    static let maxConcurrentConnects = 256
    /// Send intervals vary uniformly by this fraction either way.
    static let jitterFraction = 0.2
    /// After the window, how long to wait for relays and acks still in flight.
    static let drainLimitMs: UInt64 = 3000
    static let drainPollMs: UInt64 = 20
    /// Idle sessions: time for the server to settle before memory is read.
    static let idleSettleMs: UInt64 = 1000
    static let connectTimeoutMs: UInt64 = 120_000
    /// The kanban plugin's default columns, which `move` runs cycle through.
    static let kanbanColumns = ["Backlog", "In Progress", "Review", "Done"]

    let scenario: BenchScenario
    let settings: BenchSettings
    let target: BenchTarget
    let loop: EventLoop
    var random = FastRandom(seed: EventLoop.hrtimeNanos())

    private var sessions: [BenchSession] = []
    private var nextToOpen = 0
    private var connecting = 0
    private var welcomed = 0
    private var failures: [String] = []
    private var failureCount = 0
    static let failuresKept = 5
    private var serverCloses = 0
    private var droppedDuringWindow = 0
    private var isInWindow = false
    /// Sessions still waiting for the ack of the task a `move` run moves.
    private var tasksPending = 0
    private var activeSessions: [BenchSession] = []
    private var isFinished = false
    private var phaseTimer: LoopTimer?

    private var connectStartNanos: UInt64 = 0
    private var connectEndNanos: UInt64 = 0
    private var windowStartNanos: UInt64 = 0
    private var windowEndNanos: UInt64 = 0
    /// CPU time of every measured process (nodes, Redis) when the window opened.
    private var cpuAtStart: [Int32: UInt64] = [:]
    private var ownCPUAtStart: UInt64 = 0
    private var serverMemoryBefore: MemoryReading?

    private var cursorsSent: UInt64 = 0
    private var relaysExpected: UInt64 = 0
    private var relaysReceived: UInt64 = 0
    private var requestsSent: UInt64 = 0
    private var acks: UInt64 = 0
    private var requestErrors: UInt64 = 0
    private var firstRequestError: String?
    private var otherMessages: UInt64 = 0
    private var latency = LatencyHistogram()
    private var cursorPrefix: [UInt8] = []
    private var cursorSuffix: [UInt8] = []

    private(set) var report: BenchReport?

    public init(scenario: BenchScenario, settings: BenchSettings, target: BenchTarget) throws(LoopError) {
        self.scenario = scenario
        self.settings = settings
        self.target = target
        loop = try EventLoop()
        buildCursorTemplate()
    }

    /// Runs the whole benchmark and returns its figures.
    public func execute() -> BenchReport {
        serverMemoryBefore = ProcessUsage.memory(pids: target.serverPIDs)
        for workspaceIndex in 0..<settings.workspaces {
            for member in 0..<settings.sessionsPerWorkspace {
                sessions.append(BenchSession(run: self, workspace: "bench-\(workspaceIndex)",
                                             user: "u\(workspaceIndex)-\(member)",
                                             endpoint: target.endpoint(forMember: member)))
            }
        }
        let timer = LoopTimer(loop: loop)
        phaseTimer = timer
        timer.start(afterMs: Self.connectTimeoutMs) { [unowned self] in
            noteFailure("timed out connecting: \(welcomed) of \(sessions.count) welcomed")
            finish()
        }
        connectStartNanos = EventLoop.hrtimeNanos()
        openMore()
        if sessions.isEmpty { finish() }
        loop.run()
        loop.closeAll()
        sessions.removeAll()
        return report ?? makeReport()
    }

    // MARK: Connecting

    private func openMore() {
        while connecting < Self.maxConcurrentConnects && nextToOpen < sessions.count {
            connecting += 1
            sessions[nextToOpen].holdsConnectSlot = true
            sessions[nextToOpen].open()
            nextToOpen += 1
        }
        if connecting == 0 && nextToOpen == sessions.count && !isInWindow && !isFinished {
            connectEndNanos = EventLoop.hrtimeNanos()
            startWindow()
        }
    }

    /// Frees the session's connect slot once its handshake ends either way.
    private func releaseConnectSlot(_ session: BenchSession) {
        guard session.holdsConnectSlot else { return }
        session.holdsConnectSlot = false
        connecting -= 1
        openMore()
    }

    func sessionWelcomed(_ session: BenchSession, welcome: UnsafeRawBufferPointer) {
        welcomed += 1
        releaseConnectSlot(session)
    }

    func sessionFailed(_ session: BenchSession, reason: String) {
        noteFailure(reason)
        releaseConnectSlot(session)
    }

    func sessionClosedByServer(_ session: BenchSession, code: UInt16?, reason: String) {
        serverCloses += 1
        noteFailure("server closed \(code.map(String.init) ?? "-") \(reason)")
    }

    /// Keeps the first few failure reasons; the count says the rest.
    private func noteFailure(_ reason: String) {
        failureCount += 1
        if failures.count < Self.failuresKept { failures.append(reason) }
    }

    func sessionEnded(_ session: BenchSession, error: LoopError?) {
        if isInWindow { droppedDuringWindow += 1 }
        // No error: the server (or, over TLS, the handshake) ended the stream, e.g. a TLS URL for a plain listener.
        if session.holdsConnectSlot { noteFailure("closed before welcome" + (error.map { ": \($0)" } ?? "")) }
        releaseConnectSlot(session)
    }

    // MARK: The window

    private func startWindow() {
        phaseTimer?.stop()
        let connected = sessions.filter(\.isWelcomed)
        activeSessions = connected
        if scenario.workload == .durableWrites && settings.durableWrite == .move && connected.contains(where: { $0.taskID == nil }) {
            createTasksToMove()
            return
        }
        if scenario.workload == .idle {
            phaseTimer?.start(afterMs: Self.idleSettleMs) { [unowned self] in finish() }
            return
        }
        isInWindow = true
        for pid in measuredPIDs { cpuAtStart[pid] = ProcessUsage.cpuMicros(pid: pid) }
        ownCPUAtStart = ProcessUsage.ownCPUMicros()
        windowStartNanos = EventLoop.hrtimeNanos()
        // Open loop: every session sends on its own clock whatever the
        // answers do, so a slow server shows as latency, not as fewer sends.
        if settings.rateHz > 0 {
            let intervalMs = 1000 / settings.rateHz
            for session in connected {
                let timer = LoopTimer(loop: loop)
                session.sendTimer = timer
                scheduleSend(session, atMs: Double(loop.nowMs) + Double.random(in: 0..<intervalMs, using: &random))
            }
        }
        phaseTimer?.start(afterMs: UInt64(settings.durationSeconds * 1000)) { [unowned self] in endWindow() }
    }

    /// Before a `move` window: one task per session, made with the same
    /// request path as `create` runs but not measured.
    private func createTasksToMove() {
        tasksPending = activeSessions.count
        for session in activeSessions {
            session.pendingRequestNanos.append(EventLoop.hrtimeNanos())
            session.send(Array(#"{"type":"kanban.create","id":"task","data":{"title":"\#(session.user)"}}"#.utf8))
        }
    }

    private func taskCreated(_ session: BenchSession, payload: UnsafeRawBufferPointer) {
        guard let ack = try? JSONParser.parse(payload), let id = ack["result"]?["task"]?["id"]?.stringValue else {
            noteFailure("kanban.create ack without result.task.id")
            finish()
            return
        }
        session.taskID = id
        tasksPending -= 1
        if tasksPending == 0 { startWindow() }
    }

    /// Sends are due on a fixed schedule from the window's start: a late
    /// timer is caught up, not allowed to slow the offered rate.
    private func scheduleSend(_ session: BenchSession, atMs dueMs: Double) {
        let delay = max(0, dueMs - Double(loop.nowMs))
        session.sendTimer?.start(afterMs: UInt64(delay.rounded())) { [unowned self, unowned session] in
            guard isInWindow else { return }
            if scenario.workload == .cursors {
                sendCursor(session)
            } else {
                sendRequest(session)
            }
            let intervalMs = 1000 / settings.rateHz
            let jitter = Double.random(in: -Self.jitterFraction...Self.jitterFraction, using: &random)
            scheduleSend(session, atMs: dueMs + intervalMs * (1 + jitter))
        }
    }

    private func buildCursorTemplate() {
        cursorPrefix = Array(#"{"type":"cursor","data":{"t":"#.utf8)
        let bare = cursorPrefix.count + 19 + #","pad":""}}"#.utf8.count
        let pad = String(repeating: "x", count: max(0, settings.messageBytes - bare))
        cursorSuffix = Array(#","pad":"\#(pad)"}}"#.utf8)
    }

    private func sendCursor(_ session: BenchSession) {
        let now = EventLoop.hrtimeNanos()
        let payload = cursorPrefix + Array(String(now).utf8) + cursorSuffix
        session.send(payload)
        cursorsSent += 1
        relaysExpected += UInt64(settings.sessionsPerWorkspace - 1)
    }

    private func sendRequest(_ session: BenchSession) {
        requestsSent += 1
        let id = requestsSent
        let request: String
        switch settings.durableWrite {
        case .create:
            request = #"{"type":"kanban.create","id":\#(id),"data":{"title":"bench \#(id)"}}"#
        case .move:
            let column = Self.kanbanColumns[Int(random.next() % UInt64(Self.kanbanColumns.count))]
            request = #"{"type":"kanban.move","id":\#(id),"data":{"id":"\#(session.taskID ?? "")","column":"\#(column)","position":0}}"#
        }
        session.pendingRequestNanos.append(EventLoop.hrtimeNanos())
        session.send(Array(request.utf8))
    }

    func cursorRelayed(sentAt: UInt64?, receivedAt: UInt64) {
        relaysReceived += 1
        if let sentAt, receivedAt >= sentAt { latency.record(receivedAt - sentAt) }
    }

    func requestAcked(_ session: BenchSession, sentAt: UInt64, receivedAt: UInt64, payload: UnsafeRawBufferPointer) {
        if tasksPending > 0 {
            taskCreated(session, payload: payload)
            return
        }
        acks += 1
        latency.record(receivedAt - sentAt)
    }

    func requestFailed(_ session: BenchSession, error: String) {
        if tasksPending > 0 {
            noteFailure("kanban.create before the window: \(error)")
            finish()
            return
        }
        requestErrors += 1
        if firstRequestError == nil { firstRequestError = error }
    }

    func otherMessage() {
        otherMessages += 1
    }

    private func endWindow() {
        isInWindow = false
        windowEndNanos = EventLoop.hrtimeNanos()
        for session in activeSessions { session.sendTimer?.stop() }
        var waitedMs: UInt64 = 0
        phaseTimer?.start(afterMs: Self.drainPollMs, repeatMs: Self.drainPollMs) { [unowned self] in
            waitedMs += Self.drainPollMs
            let outstanding = activeSessions.reduce(0) { $0 + $1.pendingRequestCount }
            let drained = scenario.workload == .cursors ? relaysReceived >= relaysExpected : outstanding == 0
            if drained || waitedMs >= Self.drainLimitMs { finish() }
        }
    }

    private func finish() {
        guard !isFinished else { return }
        isFinished = true
        isInWindow = false
        report = makeReport()
        phaseTimer?.close()
        phaseTimer = nil
        for session in sessions { session.close() }
        loop.stop()
    }

    private var measuredPIDs: [Int32] { target.serverPIDs + (target.redisPID.map { [$0] } ?? []) }

    /// CPU time `pid` used since the window opened; nil if it was not read both times.
    private func cpuInWindow(_ pid: Int32) -> UInt64? {
        guard let start = cpuAtStart[pid], let end = ProcessUsage.cpuMicros(pid: pid), end >= start else { return nil }
        return end - start
    }

    private func makeReport() -> BenchReport {
        let serverMemoryAfter = ProcessUsage.memory(pids: target.serverPIDs)
        let windowSeconds = windowEndNanos > windowStartNanos ? Double(windowEndNanos - windowStartNanos) / 1e9 : 0
        let connectSeconds = connectEndNanos > connectStartNanos ? Double(connectEndNanos - connectStartNanos) / 1e9 : 0
        let nodeCPU = target.serverPIDs.map(cpuInWindow)
        return BenchReport(
            scenario: scenario, settings: settings,
            sessionsWelcomed: welcomed, failures: failures, failureCount: failureCount, serverCloses: serverCloses,
            droppedDuringWindow: droppedDuringWindow,
            connectSeconds: connectSeconds, windowSeconds: windowSeconds,
            cursorsSent: cursorsSent, relaysExpected: relaysExpected, relaysReceived: relaysReceived,
            requestsSent: requestsSent, acks: acks, requestErrors: requestErrors, firstRequestError: firstRequestError,
            otherMessages: otherMessages, latency: latency,
            nodeCPUMicros: nodeCPU, redisCPUMicros: target.redisPID.flatMap(cpuInWindow), ownCPUMicros: windowStartNanos == 0 ? nil : ProcessUsage.ownCPUMicros() - ownCPUAtStart,
            serverMemoryBefore: serverMemoryBefore, serverMemoryAfter: serverMemoryAfter)
    }
}
