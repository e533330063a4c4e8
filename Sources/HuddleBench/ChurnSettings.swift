/// Scenario S5 beyond the population and cursor rate of `BenchSettings`.
public struct ChurnSettings: Sendable {
    /// S5's population and pace: 20 workspaces × 100 sessions; the ones
    /// that do not write send cursors at 5 Hz; ten minutes.
    public static let preset = BenchSettings(workspaces: 20, sessionsPerWorkspace: 100, rateHz: 5,
                                             messageBytes: ChurnRun.cursor.count, durationSeconds: 600)

    /// Sessions that write `notes.add` (spread over the workspaces); they
    /// stay connected, so every acked write can be checked afterwards.
    public var writers = 50
    /// `notes.add` per second per writer.
    public var writeRateHz = 1.0
    /// Share of the other sessions that disconnect (half with a close frame,
    /// half by dropping TCP) and reconnect each second, half resuming with `?session=`.
    public var churnPerSecond = 0.1
    /// How often the server's RSS and open descriptors are read.
    public var sampleSeconds = 60.0
    /// After the window, before presence is compared with the open sessions:
    /// longer than the server's `presence.grace_ms`, so dropped sessions have left.
    public var settleSeconds = 5.0

    public init() {}
}
