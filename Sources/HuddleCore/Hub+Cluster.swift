import HuddleJSON

/// Input from the other nodes of a cluster (PROTOCOL.md §3–§5 across nodes).
///
/// Another node's sessions live here as `Session`s with a `node`: they count
/// in presence, welcome and `sessions`, and a resume can take them over, but
/// they receive nothing here. Their changes reach this node's sessions as the
/// same messages a local change sends.
extension Hub {
    /// Another node's session joined, changed, was resumed there, or entered
    /// grace (also: an entry of a snapshot). Unknown: it joins here. Known:
    /// its state is taken over, and a changed status, focus or meta is an update.
    public func remoteSession(_ remote: RemoteSession, node: String, workspace id: String, now: Now) -> [Effect] {
        downNodes.remove(node)
        var effects: [Effect] = []
        guard let session = sessions[remote.id] else {
            let workspace = workspaces[id] ?? {
                let created = Workspace(id: id)
                workspaces[id] = created
                return created
            }()
            let session = Session(id: remote.id, identity: remote.identity, workspace: workspace, attachment: nil,
                                  joinedAtUnixMs: remote.sinceUnixMs, bucket: TokenBucket(burst: 1, now: now.monotonicMs))
            session.node = node
            session.state = .remote
            session.status = remote.status
            session.focus = remote.focus
            session.meta = remote.meta
            sessions[remote.id] = session
            let userSessions = workspace.add(session)
            effects.append(.send(joinMessage(for: session, userSessions: userSessions), to: .workspace(workspace)))
            if let grace = remote.grace { enterRemoteGrace(session, grace, now: now, into: &effects) }
            return effects
        }
        guard session.workspace.id == id, session.identity.userID == remote.identity.userID, !session.hasLeft else { return [] }
        if !session.isRemote {
            // This node's session, resumed on another node: only one in grace
            // changes hands; a connected one stays where it is.
            guard session.isInGrace else { return [] }
            session.graceGeneration &+= 1
            session.workspace.changeOwner(of: session, to: node)
            if session.workspace.localSessionCount == 0 { effects.append(.cluster(.vacated(session.workspace))) }
        } else {
            session.workspace.changeOwner(of: session, to: node)
        }
        session.identity = remote.identity
        if let grace = remote.grace {
            enterRemoteGrace(session, grace, now: now, into: &effects)
        } else {
            session.graceGeneration &+= 1
            session.state = .remote
        }
        if session.status != remote.status || session.focus != remote.focus || session.meta != remote.meta {
            session.status = remote.status
            session.focus = remote.focus
            session.meta = remote.meta
            effects.append(.send(updateMessage(for: session), to: .workspace(session.workspace)))
        }
        return effects
    }

    /// Another node's session left for good.
    public func remoteLeft(session id: String, node: String, reason: LeaveReason, now: Now) -> [Effect] {
        guard let session = sessions[id], session.node == node else { return [] }
        var effects: [Effect] = []
        leave(session, reason: reason, into: &effects)
        return effects
    }

    /// Another node's session started (`stop: nil`) or stopped typing: relayed
    /// here once; its expiry is the other node's to decide.
    public func remoteTyping(session id: String, node: String, target: String, stop: TypingStopReason?) -> [Effect] {
        guard let session = sessions[id], session.node == node, !session.hasLeft else { return [] }
        let index = session.typing.firstIndex { $0.target == target }
        switch (stop, index) {
        case (nil, nil):
            session.typing.append(TypingTarget(target: target, expiresAt: .max, generation: nextGeneration()))
        case (.some, let index?):
            session.typing.remove(at: index)
        default:
            return []
        }
        return [relay(typingMessage(session, target: target, stop: stop), from: session)]
    }

    /// What `node` says it has in the workspace, whole: sessions it no longer
    /// lists left while this node was not listening (reason `closed`).
    public func reconcileRemote(node: String, workspace id: String, sessions listed: [RemoteSession], now: Now) -> [Effect] {
        var effects: [Effect] = []
        for remote in listed { effects += remoteSession(remote, node: node, workspace: id, now: now) }
        guard let workspace = workspaces[id] else { return effects }
        let kept = Set(listed.map(\.id))
        for session in workspace.allSessions where session.node == node && !kept.contains(session.id) {
            leave(session, reason: .closed, into: &effects)
        }
        return effects
    }

    /// A node stopped answering (crashed, or cut off): its connected sessions
    /// leave with reason `timeout`; its sessions in grace leave when their grace ends.
    public func nodeDown(_ node: String, now: Now) -> [Effect] {
        downNodes.insert(node)
        var effects: [Effect] = []
        for session in sessions.values where session.node == node {
            if case .remote = session.state { leave(session, reason: .timeout, into: &effects, notify: true) }
        }
        return effects
    }

    /// This node stopped listening to the workspace: its knowledge of the
    /// other nodes' sessions there would go stale, so it is dropped (silently:
    /// no session of this node is left to tell).
    public func forgetRemoteSessions(of workspace: Workspace) {
        for session in workspace.allSessions where session.isRemote {
            stopAllTypingSilently(of: session)
            session.state = .gone
            sessions[session.id] = nil
            _ = workspace.remove(session)
        }
        if workspace.sessionCount == 0 { workspaces[workspace.id] = nil }
    }

    /// This node's sessions in a workspace (grace included), as the other nodes must know them.
    public func announcement(of session: Session, now: Now) -> RemoteSession {
        var grace: RemoteSession.Grace?
        if case .grace(let deadline, let reason) = session.state {
            grace = .init(reason: reason, untilUnixMs: now.unixMs + Int64(deadline.elapsed(since: now.monotonicMs)))
        }
        return RemoteSession(id: session.id, identity: session.identity, status: session.status, focus: session.focus,
                             meta: session.meta, sinceUnixMs: session.joinedAtUnixMs, grace: grace)
    }

    /// Whether `id` is another node's session that is connected there (as far
    /// as this node has heard): a resume of it must wait for its grace.
    public func isConnectedElsewhere(_ id: String) -> Bool {
        guard let session = sessions[id], case .remote = session.state else { return false }
        return true
    }

    /// Workspaces where this node has sessions (grace included): what it listens to.
    public var workspacesWithLocalSessions: [Workspace] {
        workspaces.values.filter { $0.localSessionCount > 0 }
    }

    private func enterRemoteGrace(_ session: Session, _ grace: RemoteSession.Grace, now: Now, into effects: inout [Effect]) {
        stopAllTyping(of: session, into: &effects)
        let remaining = max(0, grace.untilUnixMs - now.unixMs)
        startGrace(of: session, deadline: now.monotonicMs + UInt64(remaining), reason: grace.reason)
    }

    private func stopAllTypingSilently(of session: Session) {
        session.typing.removeAll()
    }
}
