import Foundation
import HuddleCluster
import HuddleCore
import HuddleLoop
import HuddleRedis
import HuddleStore

/// Cluster mode (`[cluster] redis_url`): the link to the other nodes, and the
/// durable events that cross it, put in seq order with gaps filled from storage.
extension HuddleServer {
    /// Connects to Redis when cluster mode is on; the node id defaults to host name and port.
    func startCluster() throws {
        guard let text = config.cluster.redisURL else { return }
        let url: RedisURL
        do {
            url = try RedisURL(text)
        } catch {
            throw ClusterStartError(description: "cluster.redis_url: \(error)")
        }
        let nodeID = config.cluster.nodeID ?? "\(ProcessInfo.processInfo.hostName):\(port)"
        let node = ClusterNode(url: url, loop: loop, hub: hub,
                               settings: .init(nodeID: nodeID, nodeTTLMs: config.cluster.nodeTTLMs,
                                               batchMs: config.server.relayBatchMs),
                               now: { [unowned self] in self.now() })
        node.apply = { [unowned self] effects in self.apply(effects) }
        node.onEvent = { [unowned self] workspace, seq, type, message in
            self.events.accept(workspace: workspace, .init(seq: seq, deliver: {
                self.deliverDurable(workspace: workspace, seq: seq, type: type, message: message)
            }, then: nil))
        }
        node.onReconnect = { [unowned self] workspaces in
            for workspace in workspaces { self.fillEvents(of: workspace, after: self.events.latest[workspace] ?? 0) }
        }
        let logger = self.logger
        node.log = { logger.notice("\($0)") }
        cluster = node
        node.start()
        logger.info("cluster mode", metadata: ["node": "\(nodeID)", "redis": "\(url)"])
    }

    /// Before a node's first session in a workspace is welcomed: the
    /// workspace's latest seq from storage, since this node did not follow it.
    func whenFollowing(_ workspace: String, then proceed: @escaping () -> Void) {
        let following = (hub.workspace(workspace)?.localSessionCount ?? 0) > 0
        guard !following else { return proceed() }
        store.events(workspace: workspace, since: events.latest[workspace] ?? 0, epoch: nil, limit: 0) { [unowned self] result in
            switch result {
            case .success(let page): self.events.learn(workspace: workspace, latest: page.latestSeq)
            case .failure(.gone(let latest, _)): self.events.learn(workspace: workspace, latest: latest)
            case .failure(.unavailable): break
            }
            proceed()
        }
    }

    // MARK: Gaps

    /// Called by the sequencer when an event arrived before its predecessor.
    func scheduleGapFill(_ workspace: String, after seq: Int) {
        pendingGapFills[workspace] = min(seq, pendingGapFills[workspace] ?? seq)
        gapFillTimer.start(afterMs: EventSequencer.gapWaitMs) { [unowned self] in
            let due = self.pendingGapFills
            self.pendingGapFills = [:]
            for (workspace, after) in due where self.events.hasGap(in: workspace, after: after) {
                self.fillEvents(of: workspace, after: after)
            }
        }
    }

    /// Reads the events after `seq` from storage into the sequencer: Redis
    /// lost them (pub/sub is at-most-once) or they are still on their way.
    func fillEvents(of workspace: String, after seq: Int) {
        store.events(workspace: workspace, since: seq, epoch: nil, limit: EventsQuery.maxLimit) { [unowned self] result in
            switch result {
            case .success(let page):
                for event in page.events {
                    self.events.accept(workspace: workspace, .init(seq: event.seq, deliver: {
                        self.deliverDurable(workspace: workspace, seq: event.seq, type: event.type, message: event.message)
                    }, then: nil))
                }
                if page.events.count == EventsQuery.maxLimit { self.fillEvents(of: workspace, after: page.events.last!.seq) }
            case .failure(.gone(let latest, _)):
                // Trimmed from history: nothing to deliver; sessions catch up with `since` as after any gap.
                self.events.learn(workspace: workspace, latest: latest)
            case .failure(.unavailable):
                self.scheduleGapFill(workspace, after: seq)
            }
        }
    }
}

struct ClusterStartError: Error, CustomStringConvertible {
    let description: String
}
