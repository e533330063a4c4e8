/// What a churn run counted while it ran.
public struct ChurnCounters: Sendable {
    public var welcomes = 0
    public var resumed = 0
    public var cleanCloses = 0
    public var drops = 0
    public var failures = FailureLog()
    public var cursorsSent = 0
    public var relaysReceived = 0
    public var writesSent = 0
    public var writesAcked = 0
    public var writeErrors = 0
    /// Acked writes whose event is missing from the workspace's history.
    public var ackedWritesLost = 0
    /// Sum over workspaces of |sessions in presence − sessions open|.
    public var ghostSessions = 0
    public var checkProblems: [String] = []
}
