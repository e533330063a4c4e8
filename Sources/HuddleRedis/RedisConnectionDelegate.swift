import CHiredis

/// What a `RedisConnection` reports to the link that owns it.
protocol RedisConnectionDelegate: AnyObject {
    /// Connected and handshaken (AUTH, SELECT, PING all answered).
    func connectionDidBecomeReady(_ connection: RedisConnection)
    /// An attempt failed or a connection ended; the next attempt is armed.
    func connectionDidFail(_ connection: RedisConnection, reason: String, wasReady: Bool, retryInMs: UInt64)
    /// A pub/sub push (subscribe confirmation, message). `reply` is hiredis's
    /// and valid only during the call.
    func connection(_ connection: RedisConnection, didReceivePush reply: UnsafeMutablePointer<redisReply>)
}
