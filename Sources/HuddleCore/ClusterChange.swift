/// A change of this node's sessions that the other nodes of a cluster must
/// learn (`Effect.cluster`, only when `CoreConfig.clustered`). The cluster
/// link publishes it; the other nodes feed it to their hubs as remote input.
public enum ClusterChange {
    /// A new session joined here.
    case joined(Session)
    /// A session in grace was resumed here (it may have been another node's).
    case resumed(Session)
    /// Status, focus or meta changed, or a token refresh brought a new role or name.
    case updated(Session)
    /// The connection ended without `leave`; the session leaves at `untilUnixMs` unless resumed.
    case grace(Session, reason: LeaveReason, untilUnixMs: Int64)
    /// The session left for good.
    case left(Session, reason: LeaveReason)
    /// A typing target started (`stop: nil`) or stopped.
    case typing(Session, target: String, stop: TypingStopReason?)
    /// A cursor relay, already throttled here: the other nodes deliver these bytes as they are.
    case cursor(Workspace, Outgoing)
    /// The workspace has no session of this node any more (connected or in grace):
    /// the node stops listening to it and forgets its other nodes' sessions.
    case vacated(Workspace)
}
