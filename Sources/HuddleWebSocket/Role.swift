/// Which end of the connection a `MessageReader` sits on; it decides whether
/// incoming frames must be masked (RFC 6455 §5.1).
public enum Role: Sendable {
    /// Reads frames sent by a client: every frame must be masked.
    case server
    /// Reads frames sent by a server: no frame may be masked.
    case client
}
