import HuddleJSON
import HuddleLoop

/// Scenario S5: sessions come and go for minutes while the rest keep working,
/// and the server must neither grow nor forget. Each second a share of the
/// sessions disconnects (half with a close frame, half by dropping TCP) and
/// reconnects at once (half resuming with `?session=`); the others send
/// cursors; a few write `notes.add`. The server's RSS and open descriptors
/// are sampled throughout. Afterwards every acked write must be in the
/// history and every workspace's presence must list exactly the open sessions.
public final class ChurnRun: BenchSessionOwner {
    static let tickMs: UInt64 = 20
    static let drainLimitMs: UInt64 = 3000
    static let cursor = Array(#"{"type":"cursor","data":{"x":0.5,"y":0.5}}"#.utf8)

    let settings: BenchSettings
    let churn: ChurnSettings
    let target: BenchTarget
    let loop: EventLoop
    var random = FastRandom(seed: EventLoop.hrtimeNanos())
    var counters = ChurnCounters()
    var samples: [ChurnSample] = []
    /// Acked writes' `seq`, by workspace.
    var ackedSeqs: [String: [Int]] = [:]
    private(set) var slots: [ChurnSlot] = []

    private var slotOfSession: [ObjectIdentifier: ChurnSlot] = [:]
    private var nextInitial = 0
    private var initialUnsettled = 0
    private var isInWindow = false
    private var windowStartNanos: UInt64 = 0
    private var tick = 0
    private let tickTimer: LoopTimer
    private let churnTimer: LoopTimer
    private let sampleTimer: LoopTimer
    private let phaseTimer: LoopTimer

    public init(settings: BenchSettings, churn: ChurnSettings, target: BenchTarget) throws(LoopError) {
        self.settings = settings
        self.churn = churn
        self.target = target
        loop = try EventLoop()
        tickTimer = LoopTimer(loop: loop)
        churnTimer = LoopTimer(loop: loop)
        sampleTimer = LoopTimer(loop: loop)
        phaseTimer = LoopTimer(loop: loop)
    }

    /// Runs the scenario and its checks; returns the figures.
    public func execute() -> ChurnReport {
        for member in 0..<settings.sessionsPerWorkspace {
            for workspace in 0..<settings.workspaces {
                let index = slots.count
                slots.append(ChurnSlot(index: index, workspace: "churn-\(workspace)", user: "c\(workspace)-\(member)",
                                       isWriter: index < churn.writers))
            }
        }
        phaseTimer.start(afterMs: BenchRun.connectTimeoutMs) { [unowned self] in
            noteFailure("timed out connecting: \(counters.welcomes) of \(slots.count) welcomed")
            finish()
        }
        initialUnsettled = slots.count
        connectMore()
        loop.run()
        loop.closeAll()
        return ChurnReport(settings: settings, churn: churn, counters: counters, samples: samples)
    }

    // MARK: Connecting

    /// The first connections, at most `BenchRun.maxConcurrentConnects` at once.
    private func connectMore() {
        while nextInitial < slots.count && slots.count - initialUnsettled + BenchRun.maxConcurrentConnects > nextInitial {
            connect(slots[nextInitial])
            nextInitial += 1
        }
    }

    private func connect(_ slot: ChurnSlot) {
        let query = slot.resumesNext ? slot.sessionID.map { "session=\($0)" } ?? "" : ""
        let session = BenchSession(run: self, workspace: slot.workspace, user: slot.user, endpoint: target.endpoints[0],
                                   query: query)
        slot.session = session
        slotOfSession[ObjectIdentifier(session)] = slot
        session.open()
    }

    /// One of the first connections ended its handshake, either way.
    private func initialSettled() {
        guard !isInWindow && initialUnsettled > 0 else { return }
        initialUnsettled -= 1
        if initialUnsettled == 0 { startWindow() } else { connectMore() }
    }

    func sessionWelcomed(_ session: BenchSession, welcome: UnsafeRawBufferPointer) {
        guard let slot = slotOfSession[ObjectIdentifier(session)] else { return }
        counters.welcomes += 1
        let document = try? JSONParser.parse(welcome)
        slot.sessionID = document?["session"]?.stringValue
        if document?["resumed"] == true { counters.resumed += 1 }
        initialSettled()
    }

    func sessionFailed(_ session: BenchSession, reason: String) {
        noteFailure(reason)
        // A connect that failed has no connection to report its end.
        if session.connection == nil { sessionEnded(session, error: nil) }
    }

    func sessionClosedByServer(_ session: BenchSession, code: UInt16?, reason: String) {
        counters.failures.noteServerClose(code: code, reason: reason)
    }

    func sessionEnded(_ session: BenchSession, error: LoopError?) {
        guard let slot = slotOfSession.removeValue(forKey: ObjectIdentifier(session)) else { return }
        if slot.session === session { slot.session = nil }
        if !session.isWelcomed { initialSettled() }
        if isInWindow { connect(slot) }
    }

    func cursorRelayed(sentAt: UInt64?, receivedAt: UInt64) {
        counters.relaysReceived += 1
    }

    func requestAcked(_ session: BenchSession, sentAt: UInt64, receivedAt: UInt64, payload: UnsafeRawBufferPointer) {
        guard let slot = slotOfSession[ObjectIdentifier(session)],
              let seq = (try? JSONParser.parse(payload))?["seq"]?.intValue else { return }
        counters.writesAcked += 1
        ackedSeqs[slot.workspace, default: []].append(seq)
    }

    func requestFailed(_ session: BenchSession, error: String) {
        counters.writeErrors += 1
        noteFailure("write refused: \(error)")
    }

    func otherMessage() {}

    func noteFailure(_ reason: String) {
        counters.failures.note(reason)
    }

    // MARK: The window

    private func startWindow() {
        isInWindow = true
        windowStartNanos = EventLoop.hrtimeNanos()
        sample()
        tickTimer.start(afterMs: Self.tickMs, repeatMs: Self.tickMs) { [unowned self] in sendDue() }
        churnTimer.start(afterMs: 1000, repeatMs: 1000) { [unowned self] in churnOnce() }
        let sampleMs = UInt64(churn.sampleSeconds * 1000)
        sampleTimer.start(afterMs: sampleMs, repeatMs: sampleMs) { [unowned self] in sample() }
        phaseTimer.start(afterMs: UInt64(settings.durationSeconds * 1000)) { [unowned self] in endWindow() }
    }

    private func sample() {
        let seconds = Double(EventLoop.hrtimeNanos() - windowStartNanos) / 1e9
        samples.append(.take(pid: target.serverPIDs.first, seconds: seconds))
    }

    /// Each tick, the sessions whose turn it is send: cursors at the
    /// scenario's rate, notes at the writers' rate, spread over the ticks.
    private func sendDue() {
        tick += 1
        let cursorPeriod = settings.rateHz > 0 ? max(1, Int(1000 / settings.rateHz) / Int(Self.tickMs)) : 0
        let writePeriod = max(1, Int(1000 / churn.writeRateHz) / Int(Self.tickMs))
        for slot in slots where slot.isOpen {
            let turn = tick + slot.index
            if slot.isWriter {
                if turn % writePeriod == 0 { sendNote(slot) }
            } else if cursorPeriod > 0 && turn % cursorPeriod == 0 {
                slot.session?.send(Self.cursor)
                counters.cursorsSent += 1
            }
        }
    }

    private func sendNote(_ slot: ChurnSlot) {
        guard let session = slot.session else { return }
        slot.notesSent += 1
        counters.writesSent += 1
        session.pendingRequestNanos.append(EventLoop.hrtimeNanos())
        session.send(Array(#"{"type":"notes.add","id":\#(slot.notesSent),"data":{"subject":"bench:\#(slot.user)","body":"note \#(slot.notesSent)"}}"#.utf8))
    }

    /// Disconnects this second's share of the open sessions (writers stay).
    private func churnOnce() {
        let candidates = slots.filter { !$0.isWriter && $0.isOpen }
        let count = Int((Double(slots.count - churn.writers) * churn.churnPerSecond).rounded())
        for slot in candidates.shuffled(using: &random).prefix(count) {
            slot.resumesNext = random.next() & 1 == 0
            if random.next() & 1 == 0 {
                counters.cleanCloses += 1
                slot.session?.leave()
            } else {
                counters.drops += 1
                slot.session?.close()
            }
        }
    }

    private func endWindow() {
        isInWindow = false
        tickTimer.stop()
        churnTimer.stop()
        sampleTimer.stop()
        sample()
        var waitedMs: UInt64 = 0
        phaseTimer.start(afterMs: BenchRun.drainPollMs, repeatMs: BenchRun.drainPollMs) { [unowned self] in
            waitedMs += BenchRun.drainPollMs
            let outstanding = slots.reduce(0) { $0 + ($1.session?.pendingRequestCount ?? 0) }
            guard outstanding == 0 || waitedMs >= Self.drainLimitMs else { return }
            phaseTimer.start(afterMs: UInt64(churn.settleSeconds * 1000)) { [unowned self] in
                check(workspaceIndex: 0) { [unowned self] in finish() }
            }
        }
    }

    func finish() {
        isInWindow = false
        for timer in [tickTimer, churnTimer, sampleTimer, phaseTimer] { timer.close() }
        for slot in slots { slot.session?.close() }
        loop.stop()
    }
}
