import Foundation
import HuddleCore
import HuddleJSON
import HuddleLoop
import HuddleRedis

/// This node's place in a cluster: the Redis link that carries presence,
/// typing, cursors and durable events between nodes, on the loop thread.
///
/// The core stays pure: what another node announces enters the `Hub` as
/// remote input (`remoteSession`, `remoteLeft`, …) and leaves as effects,
/// which `apply` carries out like any other; what changes here arrives as
/// `Effect.cluster` and is published by `publish(_:)`.
///
/// Redis holds, per workspace, a channel (`huddle:w:<ws>`) that only nodes
/// with sessions there subscribe to, and a hash of every node's sessions
/// there (`huddle:p:<ws>`), read when a node starts listening or comes back
/// from an outage. Nodes announce themselves on `huddle:nodes` and in the
/// `huddle:nodes:alive` hash. Redis keeps nothing durable: events are in
/// PostgreSQL, and pub/sub is at-most-once, so the server fills gaps in
/// `seq` from storage.
public final class ClusterNode {
    public struct Settings {
        public let nodeID: String
        public let nodeTTLMs: Int
        /// How long publishes may wait to share a write (`server.relay_batch_ms`).
        public let batchMs: Int

        public init(nodeID: String, nodeTTLMs: Int, batchMs: Int) {
            self.nodeID = nodeID
            self.nodeTTLMs = nodeTTLMs
            self.batchMs = batchMs
        }
    }

    static let nodesChannel = "huddle:nodes"
    static let nodesHash = "huddle:nodes:alive"
    static let workspaceChannelPrefix = "huddle:w:"
    static let presenceHashPrefix = "huddle:p:"

    public let settings: Settings
    public var nodeID: String { settings.nodeID }
    let link: RedisLink
    let hub: Hub
    /// Changes each time this node (re)connects and re-announces its sessions,
    /// so others can tell its current announcements from stale ones.
    var incarnation = ClusterNode.newIncarnation()
    var nodes = NodeTable()
    /// Workspaces whose channel this node subscribes to.
    var listening: Set<String> = []
    /// `listen` callers waiting for the workspace's presence to be read.
    var waiting: [String: [() -> Void]] = [:]
    /// Nodes that re-announced themselves: the workspaces where their old
    /// sessions are not confirmed yet, and until when they may be.
    var unconfirmed: [String: (deadlineMs: UInt64, workspaces: Set<String>)] = [:]
    private var outbox: [[[UInt8]]] = []
    private let flushTimer: LoopTimer
    private let heartbeatTimer: LoopTimer
    private let livenessTimer: LoopTimer
    private var flushArmed = false

    /// Carries out what the hub decided on remote input.
    public var apply: ([Effect]) -> Void = { _ in }
    public var now: () -> Now
    /// A durable event another node committed: (workspace, seq, its type, the event message).
    public var onEvent: (String, Int, String, [UInt8]) -> Void = { _, _, _, _ in }
    /// After an outage: the workspaces whose events others may have written meanwhile.
    public var onReconnect: ([String]) -> Void = { _ in }
    public var log: (String) -> Void = { _ in }

    public init(url: RedisURL, loop: EventLoop, hub: Hub, settings: Settings, now: @escaping () -> Now) {
        self.settings = settings
        self.hub = hub
        self.now = now
        link = RedisLink(url: url, loop: loop)
        flushTimer = LoopTimer(loop: loop)
        heartbeatTimer = LoopTimer(loop: loop)
        livenessTimer = LoopTimer(loop: loop)
    }

    /// The Redis link is up (`/healthz`, `/metrics`).
    public var isConnected: Bool { link.state == .connected }

    public func start() {
        link.onMessage = { [unowned self] channel, payload in self.received(payload, on: channel) }
        link.onStateChange = { [unowned self] state in self.linkChanged(state) }
        link.onProblem = { [unowned self] problem in self.log("cluster: \(problem)") }
        link.subscribe(Self.nodesChannel)
        link.start()
        let ttl = UInt64(settings.nodeTTLMs)
        heartbeatTimer.start(afterMs: ttl / 4, repeatMs: ttl / 4) { [unowned self] in self.sendHeartbeat() }
        let check = max(50, ttl / 20)
        livenessTimer.start(afterMs: check, repeatMs: check) { [unowned self] in self.checkLiveness() }
    }

    /// Shutdown: says `bye` (this node's sessions are already announced in
    /// grace, so the others keep them resumable), and closes once Redis has
    /// answered a PING sent after everything queued, so nothing is lost to
    /// the process exiting; `done` runs then (at once if Redis is down).
    public func shutDown(then done: @escaping () -> Void) {
        queue([Self.publishCommand, Array(Self.nodesChannel.utf8), ClusterMessage.encode(.bye, node: nodeID, body: [])],
              promptly: true)
        flushTimer.close()
        heartbeatTimer.close()
        livenessTimer.close()
        link.command("PING") { [link] _ in
            link.close()
            done()
        }
    }

    // MARK: Liveness

    private func linkChanged(_ state: RedisLink.State) {
        switch state {
        case .connected:
            log("cluster: connected to Redis as node \(nodeID)")
            incarnation = Self.newIncarnation()
            nodes.forgiveSilence(at: now().monotonicMs)
            reannounce()
            for workspace in listening { readPresence(of: workspace) {} }
            onReconnect(Array(listening))
        case .disconnected:
            log("cluster: lost Redis; serving this node's sessions alone until it is back")
        }
    }

    func sendHeartbeat() {
        let record: JSONValue = ["incarnation": .string(incarnation), "at": .int(Int(now().unixMs))]
        queue([Array("HSET".utf8), Array(Self.nodesHash.utf8), Array(nodeID.utf8), record.encoded()])
        let body: JSONValue = ["incarnation": .string(incarnation)]
        queue([Self.publishCommand, Array(Self.nodesChannel.utf8), ClusterMessage.encode(.heartbeat, node: nodeID, body: body.encoded())])
    }

    /// Nodes silent past the TTL are down; re-announced nodes whose old
    /// sessions were not confirmed in time lose them. Only judged while this
    /// node hears Redis itself: its own outage says nothing about the others.
    private func checkLiveness() {
        guard isConnected else { return }
        let nowMs = now().monotonicMs
        for node in nodes.silent(since: nowMs, ttlMs: UInt64(settings.nodeTTLMs)) {
            log("cluster: node \(node) is silent for \(settings.nodeTTLMs) ms; its sessions leave")
            nodes.markDown(node)
            apply(hub.nodeDown(node, now: now()))
        }
        for (node, pending) in unconfirmed where pending.deadlineMs <= nowMs {
            unconfirmed[node] = nil
            for workspace in pending.workspaces {
                apply(hub.reconcileRemote(node: node, workspace: workspace, sessions: [], now: now()))
            }
        }
    }

    // MARK: Outbox

    static let publishCommand = Array("PUBLISH".utf8)

    /// Commands wait up to `batchMs` so that those of a burst leave in one
    /// write; `promptly`, they leave with this loop turn's write (the link
    /// writes once per turn), keeping their order with what waited.
    func queue(_ command: [[UInt8]], promptly: Bool = false) {
        outbox.append(command)
        if promptly { return flush() }
        guard !flushArmed else { return }
        flushArmed = true
        flushTimer.start(afterMs: UInt64(settings.batchMs)) { [unowned self] in self.flush() }
    }

    private func flush() {
        if flushArmed { flushTimer.stop() }
        flushArmed = false
        let commands = outbox
        outbox = []
        for command in commands { link.send(command) }
    }

    static func newIncarnation() -> String {
        String(UInt64.random(in: 1...UInt64.max), radix: 36)
    }
}
