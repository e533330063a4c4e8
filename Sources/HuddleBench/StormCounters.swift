/// What a storm run counted.
public struct StormCounters: Sendable {
    /// Presence messages received by all clients in one part of the run.
    public struct PresenceTally: Sendable {
        public var joins = 0
        public var leaves = 0
        public var updates = 0
        /// Those about a session of the resumed half (its old or its new id).
        public var fromResumedHalf = 0

        public var total: Int { joins + leaves + updates }

        mutating func count(_ kind: ServerMessageKind, fromResumedHalf resumed: Bool) {
            switch kind {
            case .presenceJoin: joins += 1
            case .presenceLeave: leaves += 1
            default: updates += 1
            }
            if resumed { fromResumedHalf += 1 }
        }
    }

    public var initialWelcomes = 0
    /// Client sockets set to close with a reset (SO_LINGER 0) at the drop.
    public var socketsReset = 0
    /// How long resetting every socket took (one loop turn).
    public var dropMs = 0.0
    public var reconnects = 0
    /// How late the generator was at most in starting a reconnect at its
    /// drawn moment: a busy generator shows here, not as a slower server.
    public var latestReconnectLagMs = 0.0
    public var resumesAsked = 0
    public var welcomesAfterDrop = 0
    /// Welcomes of the resumed half that said `"resumed": true`.
    public var resumed = 0
    /// Welcomes of the resumed half that did not: counted as failures too.
    public var resumesRefused = 0
    /// Reconnect attempts that ended before their welcome (reset, refused,
    /// an HTTP error) and were tried again after a backoff.
    public var retries = 0
    public var retryReasons: [String] = []
    /// From the server's /metrics, drop to end of settle: handshakes closed
    /// under `limits.max_http_connections`, connections shed out of descriptors.
    /// The kernel's listen queue counters over the same span.
    public var listenQueue: ListenQueueCounters?
    public var serverEvictions: Int?
    public var serverShed: Int?
    public var failures = FailureLog()
    /// From the drop until every session had converged.
    public var untilConverged = PresenceTally()
    /// From convergence to the end of the settle period (the grace leaves).
    public var inSettle = PresenceTally()
    /// The resumed half's presence messages (drop to end) split by outcome:
    /// about members whose resume was honoured (the grace path: must be 0),
    /// and about those refused, which came back as new sessions.
    public var presenceAboutResumed = 0
    public var presenceAboutRefusedResumes = 0
    /// Times all sessions had converged and then one no longer had.
    public var convergenceLost = 0
    /// Sessions converged when the settle period ended.
    public var convergedAtEnd = 0
    /// `GET /api/workspaces/{ws}/presence` after the settle: workspaces that
    /// list exactly their members, each with one session.
    public var workspacesExact = 0
    public var checkProblems: [String] = []
}
