import HuddleLoop

// Who gets a descriptor: a bounded number of connections before the upgrade,
// and a server that keeps serving (and says so, without flooding the log)
// when the process runs out of descriptors.
extension HuddleServer {
    /// How long an HTTP connection must have waited on its client before it
    /// may be closed to make room. Younger ones are a burst whose requests
    /// are still unread (a reconnect storm accepts a whole listen queue in
    /// one loop turn), not stalled clients.
    static let httpEvictableAfterMs: UInt64 = 1000

    /// At `limits.max_http_connections`, closes the oldest HTTP connection
    /// that has waited on its client for `httpEvictableAfterMs`, so that slow
    /// or idle clients cannot lock out new ones (a `/healthz` probe, a
    /// WebSocket handshake). When none has, accepting pauses: newcomers wait
    /// in the kernel's listen queue until a connection upgrades or closes, or
    /// until the oldest may be closed.
    func makeRoomForHTTPConnection() {
        guard httpConnections.count >= config.limits.maxHTTPConnections else { return }
        let nowMs = loop.nowMs
        let oldest = httpConnections.values.filter { !$0.awaitingResponse }.min { $0.acceptedAtMs < $1.acceptedAtMs }
        if let oldest, nowMs - oldest.acceptedAtMs >= Self.httpEvictableAfterMs {
            metrics.httpConnectionsEvicted += 1
            httpConnectionEnded(oldest)
            oldest.dropHTTPConnection()
            return
        }
        guard listener?.isAccepting == true else { return }
        metrics.acceptPauses += 1
        listener?.pauseAccepting()
        let waitMs = oldest.map { Self.httpEvictableAfterMs - (nowMs - $0.acceptedAtMs) } ?? Self.httpEvictableAfterMs
        acceptResumeTimer.start(afterMs: waitMs) { [unowned self] in self.listener?.resumeAccepting() }
    }

    /// The connection upgraded or closed: it no longer counts as HTTP.
    func httpConnectionEnded(_ connection: Connection) {
        httpConnections.removeValue(forKey: ObjectIdentifier(connection))
        if httpConnections.count < config.limits.maxHTTPConnections, listener?.isAccepting == false {
            acceptResumeTimer.stop()
            listener?.resumeAccepting()
        }
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
