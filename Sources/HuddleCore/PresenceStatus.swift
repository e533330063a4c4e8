/// A session's presence `status` (PROTOCOL.md §3).
public enum PresenceStatus: String, Sendable, CaseIterable {
    case online, away, busy
}
