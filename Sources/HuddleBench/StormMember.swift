import HuddleLoop

/// One user's place in a reconnect storm: the connection of the moment, the
/// session ids it held, and the presence its connection has been shown.
final class StormMember {
    let workspaceIndex: Int
    let member: Int
    let workspace: String
    let user: String
    /// Whether it comes back with `?session=` (even members) or as a new
    /// session of the same user (odd members).
    let resumes: Bool
    var session: BenchSession?
    /// From the last welcome.
    var sessionID: String?
    /// The session held before the drop: what `?session=` resumes.
    var oldSessionID: String?
    /// Milliseconds after the drop (its last reset) at which it reconnects.
    var reconnectAtMs = 0.0
    var view: PresenceView
    /// Welcomed, and its view is exactly the workspace's members.
    var isConverged = false
    /// Reconnects that ended before their welcome, and were tried again.
    var retries = 0
    var retryTimer: LoopTimer?
    /// Why the attempt under way failed, until its end is reported.
    var lastProblem: String?
    /// Its welcome after the drop said `"resumed": true`.
    var wasResumed = false
    /// Presence messages about its sessions (old or new) that clients
    /// received after the drop.
    var presenceAbout = 0

    init(workspaceIndex: Int, member: Int, workspaceSize: Int) {
        self.workspaceIndex = workspaceIndex
        self.member = member
        workspace = "storm-\(workspaceIndex)"
        user = StormUser.id(workspace: workspaceIndex, member: member)
        resumes = member % 2 == 0
        view = PresenceView(size: workspaceSize)
    }
}
