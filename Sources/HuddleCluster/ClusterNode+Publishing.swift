import HuddleCore
import HuddleJSON

extension ClusterNode {
    /// Tells the other nodes what changed here (an `Effect.cluster`).
    public func publish(_ change: ClusterChange) {
        switch change {
        case .joined(let session), .resumed(let session), .updated(let session), .grace(let session, _, _):
            announce(session)
        case .left(let session, let reason):
            let workspace = session.workspace.id
            queue([Array("HDEL".utf8), Array((Self.presenceHashPrefix + workspace).utf8), Array(session.id.utf8)])
            let body: JSONValue = ["id": .string(session.id), "reason": .string(reason.rawValue)]
            send(.left, body.encoded(), to: workspace, promptly: true)
        case .typing(let session, let target, let stop):
            let body: JSONValue = ["id": .string(session.id), "target": .string(target),
                                   "stop": stop.map { .string($0.rawValue) } ?? .null]
            send(.typing, body.encoded(), to: session.workspace.id)
        case .cursor(let workspace, let message):
            send(.cursor, message.bytes, to: workspace.id)
        case .vacated(let workspace):
            stopListening(to: workspace)
        }
    }

    /// A server API broadcast, for the other nodes' sessions in the workspace.
    public func publishApp(workspace: String, message: [UInt8]) {
        send(.app, message, to: workspace, promptly: true)
    }

    /// The server API removed a user: every node closes the user's sessions
    /// (in `workspace`, or everywhere).
    public func publishRemoval(of user: String, workspace: String?) {
        let body: JSONValue = ["user": .string(user), "workspace": workspace.map(JSONValue.string) ?? .null]
        queue([Self.publishCommand, Array(Self.nodesChannel.utf8), ClusterMessage.encode(.removeUser, node: nodeID, body: body.encoded())],
              promptly: true)
    }

    /// A durable event this node committed, for the other nodes' sessions.
    public func publishEvent(workspace: String, seq: Int, type: String, message: [UInt8]) {
        // `seq`, the event's type (for the receivers' metrics) and the message, a line each.
        var body = Array(String(seq).utf8)
        body.append(UInt8(ascii: "\n"))
        body.append(contentsOf: type.utf8)
        body.append(UInt8(ascii: "\n"))
        body.append(contentsOf: message)
        send(.event, body, to: workspace)
    }

    /// The session's whole state, into the workspace's presence hash and to its channel.
    func announce(_ session: Session) {
        let workspace = session.workspace.id
        let state = hub.announcement(of: session, now: now()).json(node: nodeID, incarnation: incarnation).encoded()
        queue([Array("HSET".utf8), Array((Self.presenceHashPrefix + workspace).utf8), Array(session.id.utf8), state])
        // Promptly: a welcome or a resume on another node may read this any moment now.
        send(.session, state, to: workspace, promptly: true)
    }

    /// After an outage (this node's or Redis's): every session of this node
    /// again, under a new incarnation, and a snapshot per workspace so the
    /// others drop what left meanwhile. One MULTI: a reader (which reads in
    /// one MULTI too) sees the old incarnation with its entries or the new
    /// one with its entries, and subscribers get the heartbeat that announces
    /// the new incarnation before the snapshots that confirm its sessions.
    func reannounce() {
        queue([Array("MULTI".utf8)])
        sendHeartbeat()
        for workspace in hub.workspacesWithLocalSessions {
            let sessions = workspace.localSessions.map { hub.announcement(of: $0, now: now()) }
            for session in sessions {
                queue([Array("HSET".utf8), Array((Self.presenceHashPrefix + workspace.id).utf8), Array(session.id.utf8),
                       session.json(node: nodeID, incarnation: incarnation).encoded()])
            }
            let body: JSONValue = ["sessions": .array(sessions.map { $0.json(node: nodeID, incarnation: incarnation) })]
            send(.snapshot, body.encoded(), to: workspace.id)
        }
        queue([Array("EXEC".utf8)], promptly: true)
    }

    func send(_ kind: ClusterMessage.Kind, _ body: [UInt8], to workspace: String, promptly: Bool = false) {
        queue([Self.publishCommand, Array((Self.workspaceChannelPrefix + workspace).utf8),
               ClusterMessage.encode(kind, node: nodeID, body: body)], promptly: promptly)
    }
}
