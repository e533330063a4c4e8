/// Scenario S6 beyond the population of `BenchSettings`.
public struct StormSettings: Sendable {
    /// S6's population: 200 workspaces × 100 sessions (20,000), fewer if the
    /// descriptors do not allow it (`DescriptorBudget`).
    public static let preset = BenchSettings(workspaces: 200, sessionsPerWorkspace: 100, rateHz: 0, messageBytes: 0,
                                             durationSeconds: 0)

    /// Every client reconnects at a moment drawn uniformly from this long
    /// after the drop.
    public var spreadSeconds = 1.0
    /// After convergence, how long presence is still watched: longer than the
    /// server's `presence.grace_ms` (3 s by default), so the sessions the new
    /// half left behind end their grace and leave inside it.
    public var settleSeconds = 5.0
    /// How long the initial convergence and the storm may take before the
    /// run gives up and reports what it has.
    public var timeoutSeconds = 60.0
    /// A reconnect that fails before its welcome is tried again after the
    /// bundled client's backoff: between half and all of
    /// min(cap, base × 2^(failures − 1)) milliseconds.
    public var backoffBaseMs = 500.0
    public var backoffCapMs = 15_000.0

    public init() {}
}
