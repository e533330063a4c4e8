import HuddleLoop

// Who gets a descriptor: a bounded number of connections before the upgrade,
// and a server that keeps serving (and says so, without flooding the log)
// when the process runs out of descriptors.
extension HuddleServer {
    /// At `limits.max_http_connections`, closes the oldest HTTP connection
    /// that is waiting on its client, so that slow or idle clients cannot lock
    /// out new ones (a `/healthz` probe, a WebSocket handshake). False when
    /// every one is waiting on the server: then the newcomer is refused.
    func makeRoomForHTTPConnection() -> Bool {
        guard httpConnections.count >= config.limits.maxHTTPConnections else { return true }
        let candidates = httpConnections.values.filter { !$0.awaitingResponse }
        guard let oldest = candidates.min(by: { $0.acceptOrder < $1.acceptOrder }) else { return false }
        metrics.httpConnectionsEvicted += 1
        httpConnectionEnded(oldest)
        oldest.dropHTTPConnection()
        return true
    }

    /// The connection upgraded or closed: it no longer counts as HTTP.
    func httpConnectionEnded(_ connection: Connection) {
        httpConnections.removeValue(forKey: ObjectIdentifier(connection))
    }

    /// The listener ran out of descriptors and refused the peers waiting.
    func acceptFailed(_ error: LoopError, refused: Int) {
        metrics.acceptFailures += 1
        metrics.connectionsShed += refused
        guard acceptFailureLog.shouldLog(nowMs: loop.nowMs) else { return }
        logger.error("out of file descriptors: new connections are refused until some close", metadata: [
            "error": "\(error.name)", "refused": "\(refused)", "open_connections": "\(connectionCount)",
            "suppressed_since_last_log": "\(acceptFailureLog.suppressedBeforeLast)",
        ])
    }

    /// Logs the descriptor limit, which bounds how many clients can connect.
    func logFileLimit(_ limit: FileLimit) {
        logger.info("file descriptor limit", metadata: [
            "soft_at_start": "\(limit.softAtStart)", "soft": "\(limit.soft)", "hard": "\(limit.hard)",
        ])
    }
}
