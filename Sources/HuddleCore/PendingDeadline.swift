/// Something the hub must do at a deadline. Each carries the generation of the
/// state it was armed for; a deadline whose state has since changed is stale
/// and dropped, so cancelling never searches the queue.
enum PendingDeadline {
    /// A session's grace period ends: it leaves.
    case graceEnd(Session, generation: UInt32)
    /// A typing target expires unless it was refreshed (then it is re-armed).
    case typingExpiry(Session, generation: UInt64)
    /// A cursor window closes with a trailing cursor to relay.
    case cursorWindowEnd(Session, generation: UInt64)
    /// `auth.expiring`: a session's token runs out soon.
    case tokenExpiring(Session, generation: UInt64)
    /// A session's token ran out unrefreshed: it is closed.
    case tokenExpiry(Session, generation: UInt64)
}
