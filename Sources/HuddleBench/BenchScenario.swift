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

/// Where the server is and what to measure of it: one node, or the nodes of
/// a cluster, whose processes' CPU (and RSS) the report adds up.
public struct BenchTarget: Sendable {
    /// Member `m` of every workspace connects to `endpoints[m % count]`, so
    /// each workspace's members are split across all nodes.
    public var endpoints: [BenchEndpoint]
    /// The node processes on this machine, for CPU time and RSS.
    public var serverPIDs: [Int32]
    /// The Redis process of a cluster, for its CPU time.
    public var redisPID: Int32?

    public init(endpoints: [BenchEndpoint], serverPIDs: [Int32] = [], redisPID: Int32? = nil) {
        precondition(!endpoints.isEmpty, "a bench target needs at least one endpoint")
        self.endpoints = endpoints
        self.serverPIDs = serverPIDs
        self.redisPID = redisPID
    }

    /// Where member `member` (0-based, within its workspace) connects.
    public func endpoint(forMember member: Int) -> BenchEndpoint {
        endpoints[member % endpoints.count]
    }
}

/// One node's address.
public struct BenchEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// Connect over TLS (an `https://` or `wss://` URL), see `BenchEndpoint+Connecting.swift`.
    public var usesTLS: Bool

    public init(host: String, port: Int, usesTLS: Bool = false) {
        self.host = host
        self.port = port
        self.usesTLS = usesTLS
    }

    /// `http://HOST:PORT`, `ws://HOST:PORT` or `HOST:PORT`, or over TLS
    /// `https://HOST:PORT` or `wss://HOST:PORT`, with or without a trailing
    /// `/`; nil for anything else (a path, no port).
    public init?(url: String) {
        var rest = Substring(url)
        var usesTLS = false
        for (scheme, secure) in [("http://", false), ("ws://", false), ("https://", true), ("wss://", true)] where rest.hasPrefix(scheme) {
            rest = rest.dropFirst(scheme.count)
            usesTLS = secure
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
              (1...65535).contains(port) else { return nil }
        let host = rest[..<colon]
        guard !host.isEmpty, !host.contains("/") else { return nil }
        self.init(host: String(host), port: port, usesTLS: usesTLS)
    }

    /// Every endpoint of `values`, each one URL or several separated by commas.
    public static func list(_ values: [String]) -> (endpoints: [BenchEndpoint], invalid: [String]) {
        var endpoints: [BenchEndpoint] = []
        var invalid: [String] = []
        for value in values.flatMap({ $0.split(separator: ",") }) {
            let text = String(value.filter { !$0.isWhitespace })
            if let endpoint = BenchEndpoint(url: text) { endpoints.append(endpoint) } else { invalid.append(text) }
        }
        return (endpoints, invalid)
    }
}
