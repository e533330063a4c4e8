import HuddleCore
import Testing

/// The notices behind presence webhooks: made once, by the node where the
/// change happened, and a reload makes none.
@Suite struct PresenceNoticeTests {
    static let config = CoreConfig(graceMs: 3000, notices: true)

    private func kinds(_ harness: CoreHarness) -> [String] {
        harness.notices.map { "\($0.kind.rawValue) \($0.user ?? "-")" }
    }

    @Test func firstSessionsAreOnlineAndOccupiedAndTheLastLeavesAfterGrace() {
        let harness = CoreHarness(config: Self.config)
        let alice = harness.connect("alice")
        let again = harness.connect("alice")
        harness.connect("bob")
        #expect(kinds(harness) == ["workspace.occupied -", "user.online alice", "user.online bob"])
        harness.disconnect(alice)
        harness.send(#"{"type":"leave"}"#, from: again)
        #expect(kinds(harness).count == 3, "alice still has a session in grace")
        harness.advance(to: 3000)
        #expect(kinds(harness).suffix(1) == ["user.offline alice"])
    }

    @Test func aReloadWithinGraceMakesNoNotice() {
        let harness = CoreHarness(config: Self.config)
        let alice = harness.connect("alice")
        harness.disconnect(alice)
        harness.setClock(1000)
        harness.connect("alice", resume: alice.id)
        harness.advance(to: 10_000)
        #expect(kinds(harness) == ["workspace.occupied -", "user.online alice"])
    }

    @Test func theLastSessionVacatesTheWorkspace() {
        let harness = CoreHarness(config: Self.config)
        let alice = harness.connect("alice")
        harness.send(#"{"type":"leave"}"#, from: alice)
        #expect(kinds(harness) == ["workspace.occupied -", "user.online alice", "user.offline alice", "workspace.vacated -"])
    }

    @Test func withoutWebhooksNoNoticeIsMade() {
        let harness = CoreHarness()
        harness.send(#"{"type":"leave"}"#, from: harness.connect("alice"))
        #expect(harness.notices.isEmpty)
    }

    @Test func anotherNodesSessionsNotifyOnlyWhenThatNodeIsGone() {
        let harness = CoreHarness(config: CoreConfig(graceMs: 3000, clustered: true, notices: true))
        harness.connect("bob")
        let remote = RemoteSession(id: "r1", identity: Identity(userID: "carol", name: "Carol", role: "editor"), status: .online,
                                   focus: nil, meta: [:], sinceUnixMs: 1_795_341_600_000, grace: nil)
        harness.applyRemote(harness.hub.remoteSession(remote, node: "B", workspace: "acme", now: harness.now))
        harness.applyRemote(harness.hub.remoteLeft(session: "r1", node: "B", reason: .left, now: harness.now))
        #expect(kinds(harness) == ["workspace.occupied -", "user.online bob"], "node B tells the backend itself")
        harness.applyRemote(harness.hub.remoteSession(remote, node: "B", workspace: "acme", now: harness.now))
        harness.applyRemote(harness.hub.nodeDown("B", now: harness.now))
        #expect(kinds(harness).last == "user.offline carol", "node B cannot any more")
    }
}
