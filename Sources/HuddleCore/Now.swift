/// The current time, handed in by the caller: the core has no clock of its own.
public struct Now: Sendable, Equatable {
    /// Milliseconds on a monotonic clock: every deadline is measured on it.
    public let monotonicMs: UInt64
    /// Milliseconds since the Unix epoch, used only for the ISO-8601 strings
    /// clients see (`since`, `pong.time`).
    public let unixMs: Int64

    public init(monotonicMs: UInt64, unixMs: Int64) {
        self.monotonicMs = monotonicMs
        self.unixMs = unixMs
    }
}
