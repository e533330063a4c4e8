import HuddleLoop

// Who gets a descriptor: a bounded number of connections before the upgrade,
// and a server that keeps serving (and says so, without flooding the log)
// when the process runs out of descriptors.
extension HuddleServer {
    /// How long an HTTP connection must have waited on its client before it
    /// may be closed to make room. Younger ones are a burst whose requests
    /// are still unread (a reconnect storm accepts thousands in one loop
    /// turn), not stalled clients.
    static let httpEvictableAfterMs: UInt64 = 1000

    /// At `limits.max_http_connections`, closes the oldest HTTP connection
    /// that has waited on its client for `httpEvictableAfterMs`, so that slow
    /// or idle clients cannot lock out new ones (a `/healthz` probe, a
    /// WebSocket handshake). When none has, the newcomer is let in over the
    /// limit: a burst of handshakes waits better here, where the next turns
    /// read it, than in the kernel's listen queue, which overflows and makes
    /// each peer it drops wait a SYN retransmission. The descriptor limit
    /// still bounds the burst (the listener sheds past it).
    ///
    /// A scan that finds none knows when the oldest will be old enough; until
    /// then the accepts of a burst skip the scan, which would otherwise make a
    /// burst of n handshakes cost n².
    func makeRoomForHTTPConnection() {
        guard httpConnections.count >= config.limits.maxHTTPConnections else { return }
        let nowMs = loop.nowMs
        var oldest: (connection: Connection, acceptOrder: Int)?
        if nowMs >= noHTTPEvictionBeforeMs {
            var oldestAcceptedAtMs = nowMs
            for connection in httpConnections.values where !connection.awaitingResponse {
                guard let http = connection.http else { continue }
                oldestAcceptedAtMs = min(oldestAcceptedAtMs, http.acceptedAtMs)
                guard nowMs - http.acceptedAtMs >= Self.httpEvictableAfterMs else { continue }
                if http.acceptOrder < oldest?.acceptOrder ?? .max { oldest = (connection, http.acceptOrder) }
            }
            if oldest == nil { noHTTPEvictionBeforeMs = oldestAcceptedAtMs + Self.httpEvictableAfterMs }
        }
        guard let oldest = oldest?.connection else {
            metrics.httpConnectionsOverLimit += 1
            return
        }
        metrics.httpConnectionsEvicted += 1
        httpConnectionEnded(oldest)
        oldest.dropHTTPConnection()
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
