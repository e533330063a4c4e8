import HuddleCore
import HuddleJSON
import HuddleRedis

extension ClusterNode {
    /// Makes sure this node follows the workspace: subscribed to its channel
    /// and with every other node's sessions there read from Redis, so a
    /// welcome lists them all. `ready` runs once that is done (at once when
    /// already listening, or when Redis is down: then this node knows only
    /// its own sessions until Redis is back).
    public func listen(to workspace: String, ready: @escaping () -> Void) {
        if listening.contains(workspace) && waiting[workspace] == nil { return ready() }
        if waiting[workspace] != nil {
            waiting[workspace]!.append(ready)
            return
        }
        waiting[workspace] = [ready]
        listening.insert(workspace)
        link.subscribe(Self.workspaceChannelPrefix + workspace)
        readPresence(of: workspace) { [unowned self] in
            let callers = self.waiting.removeValue(forKey: workspace) ?? []
            for caller in callers { caller() }
        }
    }

    /// The last session of this node in the workspace is gone.
    func stopListening(to workspace: Workspace) {
        guard waiting[workspace.id] == nil else { return }
        listening.remove(workspace.id)
        link.unsubscribe(Self.workspaceChannelPrefix + workspace.id)
        hub.forgetRemoteSessions(of: workspace)
    }

    /// The server API on a node that does not follow these workspaces: a
    /// scratch hub with every node's sessions there, read from the presence
    /// hashes, answers as this node's hub would (the same documents).
    public func withEveryNodesSessions(in workspaces: [String], _ body: @escaping (Hub) -> Void) {
        let scratch = Hub(config: hub.config)
        var remaining = workspaces.count
        guard remaining > 0 else { return body(scratch) }
        for workspace in workspaces {
            fetchPresence(of: workspace) { [unowned self] byNode, _ in
                for (node, sessions) in byNode {
                    _ = scratch.reconcileRemote(node: node, workspace: workspace, sessions: sessions, now: self.now())
                }
                remaining -= 1
                if remaining == 0 { body(scratch) }
            }
        }
    }

    /// Every workspace some node has sessions in (`GET /api/workspaces`), from the presence hashes' names.
    public func everyWorkspace(reply: @escaping ([String]) -> Void) {
        guard isConnected else { return reply([]) }
        scanPresenceHashes(from: "0", found: [], reply: reply)
    }

    private func scanPresenceHashes(from cursor: String, found: [String], reply: @escaping ([String]) -> Void) {
        link.command("SCAN", cursor, "MATCH", Self.presenceHashPrefix + "*", "COUNT", "1000") { [unowned self] answer in
            guard case .array(let parts) = answer, parts.count == 2, case .bulk(let next) = parts[0],
                  case .array(let keys) = parts[1] else { return reply(found) }
            var names = found
            for case .bulk(let key) in keys {
                names.append(String(String(decoding: key, as: UTF8.self).dropFirst(Self.presenceHashPrefix.count)))
            }
            let nextCursor = String(decoding: next, as: UTF8.self)
            if nextCursor == "0" { return reply(names) }
            self.scanPresenceHashes(from: nextCursor, found: names, reply: reply)
        }
    }

    /// Reads the workspace's presence hash into the hub: each live node's
    /// entries there are its whole set (reconciled), and a dead node's
    /// sessions in grace stay resumable until their grace ends.
    func readPresence(of workspace: String, done: @escaping () -> Void) {
        fetchPresence(of: workspace) { [unowned self] byNode, liveNodes in
            let now = self.now()
            var effects: [Effect] = []
            for node in liveNodes where node != self.nodeID {
                effects += self.hub.reconcileRemote(node: node, workspace: workspace, sessions: byNode[node] ?? [], now: now)
            }
            for (node, sessions) in byNode where !liveNodes.contains(node) {
                for session in sessions { effects += self.hub.remoteSession(session, node: node, workspace: workspace, now: now) }
            }
            self.apply(effects)
            done()
        }
    }

    /// The valid entries of the workspace's presence hash by node, and the
    /// nodes alive now. An entry is valid when its node is alive under the
    /// same incarnation, or when it is in a grace that has not ended; the
    /// rest is left over from crashes and outages, and is deleted.
    private func fetchPresence(of workspace: String, done: @escaping ([String: [RemoteSession]], Set<String>) -> Void) {
        guard isConnected else { return done([:], []) }
        let hash = Self.presenceHashPrefix + workspace
        // One MULTI, so the nodes and their entries are read at one instant
        // (a node re-announcing itself writes both in one MULTI too).
        link.command("MULTI") { _ in }
        link.command("HGETALL", Self.nodesHash) { _ in }
        link.command("HGETALL", hash) { _ in }
        link.command("EXEC") { [unowned self] reply in
            guard case .array(let replies) = reply, replies.count == 2 else { return done([:], []) }
            let nowUnix = self.now().unixMs
            var alive: [String: String] = [:]
            for (node, record) in Self.pairs(replies[0]) {
                guard let json = try? JSONParser.parse(record), let incarnation = json["incarnation"]?.stringValue,
                      let at = json["at"]?.intValue, Int64(at) + Int64(self.settings.nodeTTLMs) > nowUnix else { continue }
                alive[node] = incarnation
            }
            var byNode: [String: [RemoteSession]] = [:]
            var stale: [[UInt8]] = []
            for (field, value) in Self.pairs(replies[1]) {
                guard let json = try? JSONParser.parse(value), let (session, node, incarnation) = RemoteSession.parse(json),
                      node != self.nodeID else { continue }
                let current = alive[node] == incarnation
                let resumable = (session.grace?.untilUnixMs ?? 0) > nowUnix
                if current || resumable {
                    byNode[node, default: []].append(session)
                } else {
                    stale.append(Array(field.utf8))
                }
            }
            if !stale.isEmpty { self.queue([Array("HDEL".utf8), Array(hash.utf8)] + stale) }
            done(byNode, Set(alive.keys))
        }
    }

    /// HGETALL's flat field, value, field, value… as pairs.
    private static func pairs(_ reply: RedisReply) -> [(String, [UInt8])] {
        guard case .array(let items) = reply else { return [] }
        var pairs: [(String, [UInt8])] = []
        var index = 0
        while index + 1 < items.count {
            if case .bulk(let field) = items[index], case .bulk(let value) = items[index + 1] {
                pairs.append((String(decoding: field, as: UTF8.self), value))
            }
            index += 2
        }
        return pairs
    }
}
