import HuddleJSON

/// Every workspace of this node and the presence, typing, cursor and rate
/// limit rules of its sessions (PROTOCOL.md §2–§5, §8).
///
/// Pure and single-threaded: inputs are calls with the current time, outputs
/// are `Effect`s for the server to carry out. Deadlines are kept here and
/// fired by `advance(to:)`, which one loop timer drives through `nextDeadline`.
public final class Hub {
    public let config: CoreConfig
    private let makeSessionID: () -> String
    var workspaces: [String: Workspace] = [:]
    /// Every session that has not left, grace included: what `resume` may name.
    var sessions: [String: Session] = [:]
    /// Nodes that said `bye` or fell silent; cleared when one is heard again.
    var downNodes: Set<String> = []
    /// Sessions the server API removed, until when their ids stay refused.
    var removedSessions: [String: UInt64] = [:]
    var deadlines = DeadlineQueue<PendingDeadline>()
    private var lastGeneration: UInt64 = 0

    /// Sessions with an open connection (grace excluded).
    public private(set) var connectedSessionCount = 0

    /// - Parameter makeSessionID: makes session ids; tests inject deterministic ones.
    public init(config: CoreConfig = CoreConfig(), makeSessionID: @escaping () -> String = SessionID.random) {
        self.config = config
        self.makeSessionID = makeSessionID
    }

    public func workspace(_ id: String) -> Workspace? { workspaces[id] }

    /// Workspaces with at least one session, grace included.
    public var workspaceCount: Int { workspaces.count }

    func nextGeneration() -> UInt64 {
        lastGeneration += 1
        return lastGeneration
    }

    // MARK: Connections

    /// A new WebSocket session after a successful upgrade: resumes `resume` if
    /// it is a session of the same user in the same workspace still in grace
    /// (no events; status, focus and meta kept), otherwise joins
    /// (`presence.join` to every other connected session). Creates the
    /// workspace on first join. In a cluster the session in grace may be
    /// another node's: this node takes it over, still with no leave and no join.
    public func connect(workspace id: String, identity: Identity, resume: String?, attachment: AnyObject, now: Now)
        -> (session: Session, resumed: Bool, effects: [Effect])
    {
        if let resume, let session = sessions[resume], session.isInGrace,
           session.identity.userID == identity.userID, session.workspace.id == id
        {
            session.workspace.changeOwner(of: session, to: nil)
            session.state = .connected
            session.identity = identity
            session.attachment = attachment
            session.workspace.markConnected(session)
            connectedSessionCount += 1
            var effects: [Effect] = config.clustered ? [.cluster(.resumed(session))] : []
            armTokenExpiry(of: session, now: now, into: &effects)
            return (session, true, effects)
        }

        let workspace = workspaces[id] ?? {
            let created = Workspace(id: id)
            workspaces[id] = created
            return created
        }()
        var sessionID = makeSessionID()
        while sessions[sessionID] != nil { sessionID = makeSessionID() }
        let session = Session(
            id: sessionID, identity: identity, workspace: workspace, attachment: attachment,
            joinedAtUnixMs: now.unixMs,
            bucket: TokenBucket(burst: config.burst, now: now.monotonicMs))
        sessions[sessionID] = session
        let userSessions = workspace.add(session)
        connectedSessionCount += 1
        var effects = [Effect.send(joinMessage(for: session, userSessions: userSessions), to: .workspaceExcept(workspace, session))]
        if config.clustered { effects.append(.cluster(.joined(session))) }
        armTokenExpiry(of: session, now: now, into: &effects)
        if config.notices {
            if workspace.sessionCount == 1 { effects.append(.notice(.init(kind: .workspaceOccupied, workspace: id, user: nil))) }
            if userSessions == 1 { effects.append(.notice(.init(kind: .userOnline, workspace: id, user: identity.userID))) }
        }
        return (session, false, effects)
    }

    /// The connection ended without `leave` (closed, dropped, timed out):
    /// typing stops at once (`active:false`, reason `left`), the session goes
    /// into grace, and its `presence.leave` with this reason comes from
    /// `advance` after `graceMs` unless it is resumed first.
    public func disconnected(_ session: Session, reason: LeaveReason, now: Now) -> [Effect] {
        guard session.isConnected else { return [] }
        var effects: [Effect] = []
        stopAllTyping(of: session, into: &effects)
        session.workspace.markDisconnected(session)
        connectedSessionCount -= 1
        session.attachment = nil
        let deadline = now.monotonicMs + UInt64(config.graceMs)
        startGrace(of: session, deadline: deadline, reason: reason)
        if config.clustered {
            effects.append(.cluster(.grace(session, reason: reason, untilUnixMs: now.unixMs + Int64(config.graceMs))))
        }
        return effects
    }

    func startGrace(of session: Session, deadline: UInt64, reason: LeaveReason) {
        session.graceGeneration &+= 1
        session.state = .grace(deadline: deadline, reason: reason)
        deadlines.push(.graceEnd(session, generation: session.graceGeneration), at: deadline)
    }

    /// Abuse the server decided (4008, 4009 for slow consumers): the session
    /// leaves at once with reason `kicked`; the server closes the socket.
    public func kick(_ session: Session, now: Now) -> [Effect] {
        var effects: [Effect] = []
        leave(session, reason: .kicked, into: &effects)
        return effects
    }

    /// Removes a session for good and announces it. Nothing of the session is
    /// relayed afterwards; the workspace goes when its last session does.
    /// The attachment stays, so the server can still close the connection.
    /// The backend is told (`notify`) by the node whose session it was, or by
    /// every node when that node is gone and cannot.
    func leave(_ session: Session, reason: LeaveReason, into effects: inout [Effect], notify: Bool? = nil) {
        let notify = notify ?? !session.isRemote
        guard !session.hasLeft else { return }
        stopAllTyping(of: session, into: &effects)
        session.cursor?.discard()
        if session.isConnected { connectedSessionCount -= 1 }
        session.state = .gone
        sessions[session.id] = nil
        let workspace = session.workspace
        let userSessions = workspace.remove(session)
        effects.append(.send(leaveMessage(for: session, userSessions: userSessions, reason: reason), to: .workspace(workspace)))
        if config.clustered && !session.isRemote {
            effects.append(.cluster(.left(session, reason: reason)))
            if workspace.localSessionCount == 0 { effects.append(.cluster(.vacated(workspace))) }
        }
        if config.notices && notify {
            if userSessions == 0 {
                effects.append(.notice(.init(kind: .userOffline, workspace: workspace.id, user: session.identity.userID)))
            }
            if workspace.sessionCount == 0 { effects.append(.notice(.init(kind: .workspaceVacated, workspace: workspace.id, user: nil))) }
        }
        if workspace.sessionCount == 0 { workspaces[workspace.id] = nil }
    }

    // MARK: Deadlines

    /// Fires everything due at `now`: typing expiry (`reason:"expired"`),
    /// grace leaves, trailing cursor relays.
    public func advance(to now: Now) -> [Effect] {
        var effects: [Effect] = []
        while true {
            settleFirstDeadline()
            guard let (deadline, payload) = deadlines.first, deadline <= now.monotonicMs else { break }
            deadlines.popFirst()
            fire(payload, now: now, into: &effects)
        }
        return effects
    }

    /// The earliest pending deadline (monotonic ms), so one loop timer can drive them all.
    public var nextDeadline: UInt64? {
        settleFirstDeadline()
        return deadlines.first?.deadline
    }

    private func fire(_ payload: PendingDeadline, now: Now, into effects: inout [Effect]) {
        switch payload {
        case .graceEnd(let session, _):
            guard case .grace(_, let reason) = session.state else { return }
            // A gone node's sessions in grace end here, and no node of theirs tells the backend.
            leave(session, reason: reason, into: &effects, notify: !session.isRemote || session.node.map(downNodes.contains) == true)
        case .typingExpiry(let session, let generation):
            expireTyping(of: session, generation: generation, into: &effects)
        case .cursorWindowEnd(let session, _):
            relayTrailingCursor(of: session, now: now, into: &effects)
        case .tokenExpiring(let session, _):
            warnTokenExpiring(session, now: now, into: &effects)
        case .tokenExpiry(let session, _):
            expireToken(of: session, into: &effects)
        }
    }

    /// Drops stale deadlines at the head of the queue and moves postponed ones
    /// (a refreshed typing target) to their current time, so the head is exact.
    private func settleFirstDeadline() {
        while let (deadline, payload) = deadlines.first {
            let current = currentDeadline(of: payload)
            if current == deadline { return }
            deadlines.popFirst()
            if let current { deadlines.push(payload, at: current) }
        }
    }

    /// When `payload` is due now, or `nil` if what armed it is gone.
    private func currentDeadline(of payload: PendingDeadline) -> UInt64? {
        switch payload {
        case .graceEnd(let session, let generation):
            guard case .grace(let deadline, _) = session.state, session.graceGeneration == generation else { return nil }
            return deadline
        case .typingExpiry(let session, let generation):
            return session.typing.first { $0.generation == generation }?.expiresAt
        case .cursorWindowEnd(let session, let generation):
            guard let cursor = session.cursor, cursor.armedGeneration == generation else { return nil }
            return cursor.windowEnd
        case .tokenExpiring(let session, let generation):
            guard let token = session.tokenDeadlines, token.generation == generation else { return nil }
            return token.warnAt
        case .tokenExpiry(let session, let generation):
            guard let token = session.tokenDeadlines, token.generation == generation else { return nil }
            return token.expiresAt
        }
    }
}
