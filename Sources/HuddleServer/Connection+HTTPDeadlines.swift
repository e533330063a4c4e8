import HuddleHTTP

// Every phase before the upgrade is bounded, so a client that sends slowly or
// not at all cannot hold a descriptor forever: a request's head and body must
// arrive within `server.request_timeout_ms` of its first byte (408 and close
// otherwise), and a keep-alive connection with nothing in flight is closed
// after `server.idle_timeout_ms`.
extension Connection {
    func startHTTPDeadline() {
        armHTTPTimer(afterMs: server.config.server.requestTimeoutMs)
    }

    /// Called whenever the parser or `awaitingResponse` may have changed.
    func rearmHTTPDeadline() {
        guard phase == .http, let http else { return }
        let next = http.nextWait(awaitingResponse: awaitingResponse)
        guard next != http.wait else { return }
        http.wait = next
        switch next {
        case .request:
            startHTTPDeadline()
        case .idle:
            armHTTPTimer(afterMs: server.config.server.idleTimeoutMs)
        case .server:
            http.timer.stop()
        }
    }

    private func armHTTPTimer(afterMs: Int) {
        http?.timer.start(afterMs: UInt64(afterMs)) { [unowned self] in self.httpDeadlinePassed() }
    }

    private func httpDeadlinePassed() {
        guard phase == .http, let http else { return }
        if http.wait == .request && http.parser.hasPartialRequest {
            server.metrics.requestTimeouts += 1
            respondWithError(status: 408)
        } else {
            // Idle, or a new connection that never sent a byte: nothing to answer.
            server.metrics.idleTimeouts += 1
            dropHTTPConnection()
        }
    }
}
