import HuddleCore
import HuddleJSON
import Testing

/// Two hubs as two nodes of a cluster, with what each publishes handed to
/// the other as remote input, the way the cluster link does it over Redis.
private final class TwoNodes {
    static let config = CoreConfig(graceMs: 3000, clustered: true)
    let a = CoreHarness(config: TwoNodes.config, idPrefix: "a_")
    let b = CoreHarness(config: TwoNodes.config, idPrefix: "b_")

    /// Hands every pending change of each node to the other, until none is left.
    func pump() {
        while true {
            let fromA = a.takeClusterChanges(), fromB = b.takeClusterChanges()
            if fromA.isEmpty && fromB.isEmpty { return }
            deliver(fromA, from: a, node: "A", to: b)
            deliver(fromB, from: b, node: "B", to: a)
        }
    }

    func advance(to ms: UInt64) {
        a.advance(to: ms)
        b.advance(to: ms)
        pump()
    }

    private func deliver(_ changes: [ClusterChange], from source: CoreHarness, node: String, to target: CoreHarness) {
        let hub = target.hub, now = target.now
        for change in changes {
            switch change {
            case .joined(let session), .resumed(let session), .updated(let session), .grace(let session, _, _):
                let state = source.hub.announcement(of: session, now: source.now)
                target.applyRemote(hub.remoteSession(state, node: node, workspace: session.workspace.id, now: now))
            case .left(let session, let reason):
                target.applyRemote(hub.remoteLeft(session: session.id, node: node, reason: reason, now: now))
            case .typing(let session, let targetName, let stop):
                target.applyRemote(hub.remoteTyping(session: session.id, node: node, target: targetName, stop: stop))
            case .cursor(let workspace, let message):
                target.applyRemote(hub.remoteBroadcast(workspace: workspace.id, type: "cursor", message: message.bytes,
                                                       droppable: true))
            case .vacated(let workspace):
                source.hub.forgetRemoteSessions(of: workspace)
            }
        }
    }
}

@Test func aSessionOnAnotherNodeJoinsCountsAndIsInTheWelcome() throws {
    let nodes = TwoNodes()
    let bob = nodes.b.connect("bob")
    nodes.pump()
    let alice = nodes.a.connect("alice", name: "Alice")
    nodes.pump()
    #expect(nodes.b.messages(of: bob, type: "presence.join").map { $0["session"] } == [.string(alice.id)])
    nodes.a.connect("bob")
    nodes.pump()
    #expect(nodes.b.messages(of: bob, type: "presence.join").last?["sessions"] == 2)
    let onA = try JSONParser.parse(nodes.a.hub.presenceDocument(workspace: "acme"))
    let onB = try JSONParser.parse(nodes.b.hub.presenceDocument(workspace: "acme"))
    #expect(onA == onB)
    #expect(onA["count"] == 2)
}

@Test func aUserWithTabsOnTwoNodesLeavesOnlyWithTheLastTab() {
    let nodes = TwoNodes()
    let watcher = nodes.b.connect("carol")
    let tabOnA = nodes.a.connect("alice")
    let tabOnB = nodes.b.connect("alice")
    nodes.pump()
    nodes.a.send(#"{"type":"leave"}"#, from: tabOnA)
    nodes.pump()
    #expect(nodes.b.messages(of: watcher, type: "presence.leave").map { $0["sessions"] } == [1])
    nodes.b.send(#"{"type":"leave"}"#, from: tabOnB)
    nodes.pump()
    #expect(nodes.b.messages(of: watcher, type: "presence.leave").map { $0["sessions"] } == [1, 0])
}

@Test func aSessionDroppedOnOneNodeResumesOnTheOtherWithNoLeaveAndNoJoin() {
    let nodes = TwoNodes()
    let watcherOnA = nodes.a.connect("carol")
    let watcherOnB = nodes.b.connect("dave")
    let alice = nodes.a.connect("alice")
    nodes.pump()
    nodes.a.send(#"{"type":"presence.set","data":{"status":"busy"}}"#, from: alice)
    nodes.a.disconnect(alice)
    nodes.pump()
    nodes.b.setClock(1000)
    let resumed = nodes.b.connect("alice", resume: alice.id)
    #expect(nodes.b.lastResumed)
    #expect(resumed.status == .busy)
    nodes.pump()
    nodes.advance(to: 10_000)
    // Each watcher saw Alice join once, when she first came, and never leave.
    for (harness, watcher) in [(nodes.a, watcherOnA), (nodes.b, watcherOnB)] {
        #expect(harness.messages(of: watcher, type: "presence.leave").isEmpty)
        #expect(harness.messages(of: watcher, type: "presence.join").filter { $0["user"] == "alice" }.count == 1)
    }
}

@Test func graceOnAnotherNodeEndsWithItsReason() {
    let nodes = TwoNodes()
    let watcher = nodes.b.connect("bob")
    let alice = nodes.a.connect("alice")
    nodes.pump()
    nodes.a.disconnect(alice, reason: .shutdown)
    nodes.pump()
    nodes.advance(to: 3000)
    #expect(nodes.b.messages(of: watcher, type: "presence.leave").map { $0["reason"] } == ["shutdown"])
}

@Test func typingAndCursorsCrossAndTypingStopsWhenTheSessionEnds() throws {
    let nodes = TwoNodes()
    let watcher = nodes.b.connect("bob")
    let alice = nodes.a.connect("alice")
    nodes.pump()
    nodes.a.send(#"{"type":"typing","data":{"target":"note:1","active":true}}"#, from: alice)
    nodes.a.send(#"{"type":"cursor","data":{"x":1}}"#, from: alice)
    nodes.pump()
    #expect(nodes.b.messages(of: watcher, type: "typing").map { $0["active"] } == [true])
    #expect(nodes.b.messages(of: watcher, type: "cursor").map { $0["data"] } == [["x": 1]])
    let late = nodes.b.connect("carol")
    let welcome = try JSONParser.parse(nodes.b.hub.welcome(for: late, resumed: false, seq: 0, epoch: nil, plugins: []).bytes)
    #expect(welcome["typing"] == [["user": "alice", "session": .string(alice.id), "target": "note:1"]])
    nodes.a.disconnect(alice)
    nodes.pump()
    #expect(nodes.b.messages(of: watcher, type: "typing").last?["reason"] == "left")
}

@Test func aDeadNodesConnectedSessionsLeaveWithTimeout() {
    let nodes = TwoNodes()
    let watcher = nodes.b.connect("bob")
    let alice = nodes.a.connect("alice")
    nodes.pump()
    nodes.a.send(#"{"type":"typing","data":{"target":"note:1","active":true}}"#, from: alice)
    nodes.pump()
    nodes.b.applyRemote(nodes.b.hub.nodeDown("A", now: nodes.b.now))
    #expect(nodes.b.messages(of: watcher, type: "presence.leave").map { $0["reason"] } == ["timeout"])
    #expect(nodes.b.messages(of: watcher, type: "typing").last?["reason"] == "left")
}

@Test func aSnapshotDropsSessionsItNoLongerLists() {
    let nodes = TwoNodes()
    let watcher = nodes.b.connect("bob")
    nodes.a.connect("alice")
    let gone = nodes.a.connect("erin")
    nodes.pump()
    let kept = nodes.a.hub.workspace("acme")!.localSessions.filter { $0 !== gone }.map { nodes.a.hub.announcement(of: $0, now: nodes.a.now) }
    nodes.b.applyRemote(nodes.b.hub.reconcileRemote(node: "A", workspace: "acme", sessions: kept, now: nodes.b.now))
    #expect(nodes.b.messages(of: watcher, type: "presence.leave").map { $0["user"] } == ["erin"])
}

@Test func theLastLocalSessionLeavingVacatesAndForgetsTheOthers() {
    let nodes = TwoNodes()
    let bob = nodes.b.connect("bob")
    nodes.a.connect("alice")
    nodes.pump()
    nodes.b.send(#"{"type":"leave"}"#, from: bob)
    nodes.pump()
    #expect(nodes.b.hub.workspace("acme") == nil)
}

@Test func aRoleChangedByARefreshReachesTheOtherNodes() throws {
    let nodes = TwoNodes()
    let alice = nodes.a.connect("alice", role: "editor")
    nodes.b.connect("bob")
    nodes.pump()
    nodes.a.refreshed(alice, id: 1, as: nodes.a.identity("alice", role: "viewer"))
    nodes.pump()
    let onB = try JSONParser.parse(nodes.b.hub.sessionsDocument(workspace: "acme"))
    let aliceOnB = onB["sessions"]?.arrayValue?.first { $0["session"] == .string(alice.id) }
    #expect(aliceOnB?["role"] == "viewer")
}

@Test func outsideAClusterNoClusterEffectIsMade() {
    let harness = CoreHarness()
    let alice = harness.connect("alice")
    harness.send(#"{"type":"cursor","data":{"x":1}}"#, from: alice)
    harness.disconnect(alice)
    #expect(harness.takeClusterChanges().isEmpty)
}
