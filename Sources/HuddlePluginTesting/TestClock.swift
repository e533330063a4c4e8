/// The time a harness gives its requests: 2026-11-22T10:00:01.000Z for the
/// first, one second later for each next one, so tests can predict every
/// `created_at` and `updated_at`.
public struct TestClock: Sendable {
    /// How many timestamps were handed out.
    public private(set) var ticks = 0

    /// A clock before its first tick.
    public init() {}

    /// The timestamp the last tick gave (`""` before the first).
    public var now: String { ticks == 0 ? "" : Self.timestamp(ticks) }

    /// Moves one second on and returns the new time.
    public mutating func tick() -> String {
        ticks += 1
        return now
    }

    /// ISO-8601 UTC with milliseconds, `seconds` after 10:00:00.
    private static func timestamp(_ seconds: Int) -> String {
        func pad(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
        return "2026-11-22T\(pad(10 + seconds / 3600)):\(pad(seconds / 60 % 60)):\(pad(seconds % 60)).000Z"
    }
}
