import HuddleJSON

/// What a CRM backend may do through the server API (docs/protocol.md §12).
extension Hub {
    /// How long a removed session's id is refused for a resume.
    static let removedSessionMemoryMs: UInt64 = 60_000

    /// `POST …/disconnect`: the user's sessions on this node (in `workspace`,
    /// or everywhere) leave at once with reason `kicked` (no grace) and close
    /// with 4003; their ids cannot be resumed. Returns how many there were.
    public func removeUser(_ user: String, workspace: String?, now: Now) -> (effects: [Effect], count: Int) {
        var effects: [Effect] = []
        let matching = sessions.values.filter { $0.identity.userID == user && (workspace == nil || $0.workspace.id == workspace) }
        // Other nodes' sessions are theirs to close; their ids are refused here too.
        for session in matching where session.isRemote {
            removedSessions[session.id] = now.monotonicMs + Self.removedSessionMemoryMs
        }
        let targets = matching.filter { !$0.isRemote }
        for session in targets {
            let wasConnected = session.isConnected
            leave(session, reason: .kicked, into: &effects)
            removedSessions[session.id] = now.monotonicMs + Self.removedSessionMemoryMs
            if wasConnected { effects.append(.close(session, code: CoreCloseCode.removed, reason: "removed")) }
        }
        return (effects, targets.count)
    }

    /// Whether `id` was removed by the server API lately: a resume of it is refused.
    public func wasRemoved(_ id: String, now: Now) -> Bool {
        removedSessions = removedSessions.filter { $0.value > now.monotonicMs }
        return removedSessions[id] != nil
    }

    /// `POST …/publish`: `{"type":"app.<name>","data":…,"by":{"user":"server"}}`
    /// to every session of this node in the workspace; the bytes, for the other nodes.
    public func appMessage(type: String, data: JSONValue, workspace id: String) -> (effects: [Effect], message: [UInt8]) {
        var writer = MessageWriter(type: type)
        writer.value("data", data)
        writer.value("by", ["user": "server"])
        let bytes = writer.finish()
        return (relayToWorkspace(id, bytes: bytes, type: type, delivery: .batched), bytes)
    }

    /// Another node's broadcast (a cursor relay, an app message): these bytes
    /// to every session of this node in the workspace.
    public func remoteBroadcast(workspace id: String, type: String, message: [UInt8], droppable: Bool) -> [Effect] {
        relayToWorkspace(id, bytes: message, type: type, delivery: droppable ? .droppable : .batched)
    }

    /// `GET …/sessions`: every session this node knows in the workspace
    /// (its own, and other nodes' in a workspace it follows), by user then join order.
    public func sessionsDocument(workspace id: String) -> [UInt8] {
        var writer = MessageWriter()
        writer.string("workspace", id)
        let users = workspace(id)?.users ?? []
        writer.objects("sessions", users.joined()) { writer, session in
            writer.string("session", session.id)
            writer.string("user", session.identity.userID)
            writer.string("name", session.identity.name)
            writer.string("role", session.identity.role)
            writer.string("status", session.status.rawValue)
            writer.timestamp("since", unixMs: session.joinedAtUnixMs)
            writer.bool("in_grace", session.isInGrace)
        }
        return writer.finish()
    }

    /// Workspaces with at least one session, by id: (id, users, sessions).
    public var workspaceCounts: [(id: String, users: Int, sessions: Int)] {
        workspaces.values.map { ($0.id, $0.userCount, $0.sessionCount) }.sorted { $0.id < $1.id }
    }

    private func relayToWorkspace(_ id: String, bytes: [UInt8], type: String, delivery: Outgoing.Delivery) -> [Effect] {
        guard let workspace = workspaces[id], !workspace.connectedSessions.isEmpty else { return [] }
        return [.send(Outgoing(type: type, bytes: bytes, delivery: delivery), to: .workspace(workspace))]
    }
}
