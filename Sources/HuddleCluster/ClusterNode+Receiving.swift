import HuddleCore
import HuddleJSON

extension ClusterNode {
    /// A message on a subscribed channel: another node's change becomes hub input.
    func received(_ payload: UnsafeRawBufferPointer, on channel: String) {
        guard let message = ClusterMessage.decode(payload), message.node != nodeID else { return }
        let now = self.now()
        if channel == Self.nodesChannel { return receivedOnNodesChannel(message, now: now) }
        guard channel.hasPrefix(Self.workspaceChannelPrefix) else { return }
        let workspace = String(channel.dropFirst(Self.workspaceChannelPrefix.count))
        _ = nodes.heard(message.node, incarnation: nil, at: now.monotonicMs)
        let node = message.node
        switch message.kind {
        case .session:
            guard let (session, _, _) = (try? JSONParser.parse(message.body)).flatMap(RemoteSession.parse) else { return }
            apply(hub.remoteSession(session, node: node, workspace: workspace, now: now))
        case .left:
            guard let body = try? JSONParser.parse(message.body), let id = body["id"]?.stringValue,
                  let reason = body["reason"]?.stringValue.flatMap(LeaveReason.init(rawValue:)) else { return }
            apply(hub.remoteLeft(session: id, node: node, reason: reason, now: now))
        case .typing:
            guard let body = try? JSONParser.parse(message.body), let id = body["id"]?.stringValue,
                  let target = body["target"]?.stringValue else { return }
            let stop = body["stop"]?.stringValue.flatMap(TypingStopReason.init(rawValue:))
            apply(hub.remoteTyping(session: id, node: node, target: target, stop: stop))
        case .cursor:
            apply(hub.remoteBroadcast(workspace: workspace, type: "cursor", message: Array(message.body), droppable: true))
        case .app:
            apply(hub.remoteBroadcast(workspace: workspace, type: "app", message: Array(message.body), droppable: false))
        case .event:
            let lines = message.body.split(separator: UInt8(ascii: "\n"), maxSplits: 2, omittingEmptySubsequences: false)
            guard lines.count == 3, let seq = Int(String(decoding: lines[0], as: UTF8.self)) else { return }
            onEvent(workspace, seq, String(decoding: lines[1], as: UTF8.self), Array(lines[2]))
        case .snapshot:
            guard let body = try? JSONParser.parse(message.body), case .array(let entries)? = body["sessions"] else { return }
            unconfirmed[node]?.workspaces.remove(workspace)
            let sessions = entries.compactMap { RemoteSession.parse($0)?.session }
            apply(hub.reconcileRemote(node: node, workspace: workspace, sessions: sessions, now: now))
        case .heartbeat, .bye, .removeUser:
            return
        }
    }

    private func receivedOnNodesChannel(_ message: ClusterMessage, now: Now) {
        switch message.kind {
        case .heartbeat:
            let incarnation = (try? JSONParser.parse(message.body))?["incarnation"]?.stringValue
            let heard = nodes.heard(message.node, incarnation: incarnation, at: now.monotonicMs)
            if heard.changed {
                // It came back from an outage: what it had before counts only
                // where its snapshot confirms it within the TTL.
                unconfirmed[message.node] = (now.monotonicMs + UInt64(settings.nodeTTLMs), listening)
            }
        case .bye:
            log("cluster: node \(message.node) is shutting down")
            nodes.markDown(message.node)
            apply(hub.nodeDown(message.node, now: now))
        case .removeUser:
            guard let body = try? JSONParser.parse(message.body), let user = body["user"]?.stringValue else { return }
            apply(hub.removeUser(user, workspace: body["workspace"]?.stringValue, now: now).effects)
        default:
            return
        }
    }
}
