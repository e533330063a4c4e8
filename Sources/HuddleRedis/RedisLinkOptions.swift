/// Tuning of a `RedisLink`; the defaults suit a Redis on the same network.
public struct RedisLinkOptions: Equatable, Sendable {
    /// A connection not connected and handshaken (AUTH, SELECT, PING) within
    /// this is dropped and retried: hiredis 0.14's async connect has no
    /// timeout of its own, and a blackholed host would hang for minutes.
    public var connectTimeoutMs: UInt64
    /// Waits between attempts, after a failed connect or a lost connection.
    public var reconnectBackoff: ReconnectBackoff

    public init(connectTimeoutMs: UInt64 = 2_000, reconnectBackoff: ReconnectBackoff = ReconnectBackoff()) {
        self.connectTimeoutMs = connectTimeoutMs
        self.reconnectBackoff = reconnectBackoff
    }
}
