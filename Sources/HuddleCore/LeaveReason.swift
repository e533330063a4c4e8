/// Why a session left, as `presence.leave` reports it (PROTOCOL.md §3).
public enum LeaveReason: String, Sendable {
    /// The connection ended without `leave` (closed or dropped).
    case closed
    /// No pong within two heartbeats.
    case timeout
    /// The client sent `leave`.
    case left
    /// Closed by the server for abuse (4008, 4009).
    case kicked
    /// Another node of a cluster shut down.
    case shutdown
    /// Its token expired and was not refreshed (closed 4001).
    case expired
}
