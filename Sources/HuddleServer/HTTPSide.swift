import HuddleHTTP
import HuddleLoop

/// What a connection needs only until it upgrades: the request parser and
/// the timer that bounds each phase (`Connection+HTTPDeadlines.swift`).
final class HTTPSide {
    /// What the connection is waiting for, and so which limit applies.
    enum Wait {
        /// The client's next request, or the rest of it: `request_timeout_ms`.
        case request
        /// Nothing (keep-alive between requests): `idle_timeout_ms`.
        case idle
        /// The server's own answer: no limit on the client.
        case server
    }

    var parser = HTTPRequestParser()
    let timer: LoopTimer
    /// A new connection owes its first request from the moment it is accepted.
    var wait = Wait.request
    /// Eviction under `limits.max_http_connections`: oldest first, and only
    /// once it has waited long enough (`HuddleServer.httpEvictableAfterMs`).
    let acceptOrder: Int
    let acceptedAtMs: UInt64

    init(loop: EventLoop, acceptOrder: Int) {
        timer = LoopTimer(loop: loop)
        self.acceptOrder = acceptOrder
        acceptedAtMs = loop.nowMs
    }

    /// A whole request was read; what comes next decides the next limit.
    func requestTaken() {
        wait = .server
    }

    /// What to wait for now, given whether an answer is being computed.
    func nextWait(awaitingResponse: Bool) -> Wait {
        if awaitingResponse { return .server }
        if parser.hasPartialRequest { return .request }
        // A new connection that has sent nothing yet still owes its request.
        return wait == .request ? .request : .idle
    }
}
