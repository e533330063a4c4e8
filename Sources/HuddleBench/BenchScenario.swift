/// The load shapes `huddle bench` can generate.
public enum BenchScenario: String, CaseIterable, Sendable {
    /// Many small workspaces exchanging cursors.
    case s1
    /// Many idle sessions: connect rate and memory per session.
    case s2
    /// One large workspace exchanging cursors (fan-out heavy).
    case s3
    /// Durable writes (`kanban.move`) from many sessions of one workspace.
    case s4

    /// What the scenario's sessions do once connected.
    public enum Workload: Sendable {
        case cursors
        case idle
        case durableWrites
    }

    public var workload: Workload {
        switch self {
        case .s1, .s3: return .cursors
        case .s2: return .idle
        case .s4: return .durableWrites
        }
    }

    /// The preset settings, before command-line overrides.
    public var preset: BenchSettings {
        switch self {
        case .s1: return BenchSettings(workspaces: 10, sessionsPerWorkspace: 50, rateHz: 10, messageBytes: 100, durationSeconds: 20)
        case .s2: return BenchSettings(workspaces: 100, sessionsPerWorkspace: 100, rateHz: 0, messageBytes: 100, durationSeconds: 0)
        case .s3: return BenchSettings(workspaces: 1, sessionsPerWorkspace: 500, rateHz: 2, messageBytes: 100, durationSeconds: 20)
        // 50 requests/s per session is the default token bucket rate, so S4
        // runs against a server on its default limits.
        case .s4: return BenchSettings(workspaces: 1, sessionsPerWorkspace: 100, rateHz: 50, messageBytes: 100, durationSeconds: 10)
        }
    }
}

/// Which durable write the durable-write scenario repeats.
public enum DurableWrite: String, CaseIterable, Sendable {
    /// `kanban.create`: every event carries the whole, growing column order,
    /// so events grow with the run.
    case create
    /// `kanban.move` of one task per session (created before the window)
    /// between the default columns: events stay the same size.
    case move
}

/// How many sessions a run opens and how hard they work.
public struct BenchSettings: Sendable {
    public var workspaces: Int
    public var sessionsPerWorkspace: Int
    /// Cursor messages or durable writes per second per session.
    public var rateHz: Double
    /// Approximate size of each cursor message's JSON text.
    public var messageBytes: Int
    /// Length of the measured window.
    public var durationSeconds: Double
    public var durableWrite = DurableWrite.create

    public init(workspaces: Int, sessionsPerWorkspace: Int, rateHz: Double, messageBytes: Int, durationSeconds: Double) {
        self.workspaces = workspaces
        self.sessionsPerWorkspace = sessionsPerWorkspace
        self.rateHz = rateHz
        self.messageBytes = messageBytes
        self.durationSeconds = durationSeconds
    }

    public var totalSessions: Int { workspaces * sessionsPerWorkspace }
}

/// Where the server is and what to measure of it.
public struct BenchTarget: Sendable {
    public var host: String
    public var port: Int
    /// The server's process id on this machine, for CPU and RSS readings.
    public var serverPID: Int32?

    public init(host: String, port: Int, serverPID: Int32?) {
        self.host = host
        self.port = port
        self.serverPID = serverPID
    }
}
