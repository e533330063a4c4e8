/// The tunables of presence, typing, cursors and rate limits
/// (PROTOCOL.md §3, §4, §5, §8, §10), with the protocol's defaults.
public struct CoreConfig: Sendable, Equatable {
    /// `presence.grace_ms`: delay before a vanished session leaves.
    public var graceMs: Int
    /// `typing.ttl_ms`: a typing target not refreshed for this long expires.
    public var typingTTLMs: Int
    /// `typing.max_targets`: typing targets per session.
    public var typingMaxTargets: Int
    /// `cursor.max_hz`: cursor relays per session per second.
    public var cursorMaxHz: Int
    /// `limits.messages_per_second`: token bucket refill rate per session.
    public var messagesPerSecond: Int
    /// `limits.burst`: token bucket size.
    public var burst: Int
    /// `presence.heartbeat_ms`: announced in `welcome`; the server sends the pings.
    public var heartbeatMs: Int
    /// Largest cursor `data`, in bytes as it appears in the frame.
    public var maxCursorDataBytes: Int
    /// Largest presence `meta`, in bytes as it appears in the frame.
    public var maxMetaBytes: Int
    /// Longest presence `focus`, in Unicode scalars.
    public var maxFocusLength: Int
    /// Longest typing `target`, in Unicode scalars.
    public var maxTargetLength: Int
    /// A rate-limit rejection streak lasting this long closes the session with 4008.
    public var abuseStreakMs: Int
    /// A streak ends after this long without a rejection.
    public var streakGapMs: Int
    /// Whether this node is part of a cluster: local changes then also come
    /// out as `Effect.cluster` for the other nodes.
    public var clustered: Bool

    public init(
        graceMs: Int = 3000, typingTTLMs: Int = 5000, typingMaxTargets: Int = 8, cursorMaxHz: Int = 30,
        messagesPerSecond: Int = 50, burst: Int = 100, heartbeatMs: Int = 20000,
        maxCursorDataBytes: Int = 512, maxMetaBytes: Int = 1024, maxFocusLength: Int = 128,
        maxTargetLength: Int = 128, abuseStreakMs: Int = 10_000, streakGapMs: Int = 1000, clustered: Bool = false
    ) {
        self.graceMs = graceMs
        self.typingTTLMs = typingTTLMs
        self.typingMaxTargets = typingMaxTargets
        self.cursorMaxHz = cursorMaxHz
        self.messagesPerSecond = messagesPerSecond
        self.burst = burst
        self.heartbeatMs = heartbeatMs
        self.maxCursorDataBytes = maxCursorDataBytes
        self.maxMetaBytes = maxMetaBytes
        self.maxFocusLength = maxFocusLength
        self.maxTargetLength = maxTargetLength
        self.abuseStreakMs = abuseStreakMs
        self.streakGapMs = streakGapMs
        self.clustered = clustered
    }

    /// The cursor window: `1000 / max_hz` ms, rounded up so a session never
    /// exceeds `max_hz` relays in any second.
    var cursorWindowMs: UInt64 {
        let hz = UInt64(max(cursorMaxHz, 1))
        return (1000 + hz - 1) / hz
    }
}
