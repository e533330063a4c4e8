import HuddleJSON

/// The figures of one run, as a table for people and as JSON for scripts.
public struct BenchReport {
    public let scenario: BenchScenario
    public let settings: BenchSettings
    public let sessionsWelcomed: Int
    public let failures: [String]
    public let failureCount: Int
    public let serverCloses: Int
    public let droppedDuringWindow: Int
    public let connectSeconds: Double
    public let windowSeconds: Double
    public let cursorsSent: UInt64
    public let relaysExpected: UInt64
    public let relaysReceived: UInt64
    public let requestsSent: UInt64
    public let acks: UInt64
    public let requestErrors: UInt64
    public let firstRequestError: String?
    public let otherMessages: UInt64
    public let latency: LatencyHistogram
    /// CPU time of each node process in the window (`--server-pid` order).
    public let nodeCPUMicros: [UInt64?]
    /// CPU time of Redis in the window (`--redis-pid`).
    public let redisCPUMicros: UInt64?
    public let ownCPUMicros: UInt64?
    public let serverMemoryBefore: MemoryReading?
    public let serverMemoryAfter: MemoryReading?

    static let quantiles: [(label: String, quantile: Double)] = [
        ("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p99.9", 0.999),
    ]

    public var connectsPerSecond: Double { connectSeconds > 0 ? Double(sessionsWelcomed) / connectSeconds : 0 }

    public var lossPercent: Double? {
        relaysExpected == 0 ? nil : max(0, Double(relaysExpected) - Double(relaysReceived)) * 100 / Double(relaysExpected)
    }

    /// Messages the server delivered that the workload is about: relays, or acks.
    public var deliveredMessages: UInt64 { scenario.workload == .durableWrites ? acks : relaysReceived }

    /// The CPU time of all nodes together; nil unless every node was read.
    public var serverCPUMicros: UInt64? {
        guard !nodeCPUMicros.isEmpty, !nodeCPUMicros.contains(nil) else { return nil }
        return nodeCPUMicros.reduce(0) { $0 + $1! }
    }

    public var serverCPUMicrosPerMessage: Double? {
        guard let serverCPUMicros, deliveredMessages > 0 else { return nil }
        return Double(serverCPUMicros) / Double(deliveredMessages)
    }

    /// The cluster's cost: all nodes plus Redis, per delivered message.
    public var clusterCPUMicrosPerMessage: Double? {
        guard let serverCPUMicros, let redisCPUMicros, deliveredMessages > 0 else { return nil }
        return Double(serverCPUMicros + redisCPUMicros) / Double(deliveredMessages)
    }

    public var serverRSSBytesPerSession: Double? {
        perSession(\.residentBytes)
    }

    /// The growth of RssAnon per session: RSS without library code.
    public var serverAnonymousBytesPerSession: Double? {
        perSession(\.anonymousBytes)
    }

    private func perSession(_ figure: KeyPath<MemoryReading, UInt64>) -> Double? {
        guard let before = serverMemoryBefore, let after = serverMemoryAfter, sessionsWelcomed > 0 else { return nil }
        return (Double(after[keyPath: figure]) - Double(before[keyPath: figure])) / Double(sessionsWelcomed)
    }

    private func millis(_ nanos: UInt64) -> Double { Double(nanos) / 1e6 }

    /// Named figures in display order; nil values are left out.
    private var figures: [(key: String, label: String, value: Double?, decimals: Int)] {
        var rows: [(String, String, Double?, Int)] = [
            ("sessions", "sessions welcomed", Double(sessionsWelcomed), 0),
            ("failures", "failures", Double(failureCount), 0),
            ("connect_seconds", "connect phase (s)", connectSeconds, 3),
            ("connects_per_second", "connects/s", connectsPerSecond, 0),
        ]
        switch scenario.workload {
        case .idle:
            rows.append(("server_rss_before_bytes", "server RSS before (MiB)", serverMemoryBefore.map { Double($0.residentBytes) / 1_048_576 }, 1))
            rows.append(("server_rss_after_bytes", "server RSS after (MiB)", serverMemoryAfter.map { Double($0.residentBytes) / 1_048_576 }, 1))
            rows.append(("server_rss_per_session_bytes", "server RSS/session (B)", serverRSSBytesPerSession, 0))
            rows.append(("server_anon_rss_per_session_bytes", "server RssAnon/session (B)", serverAnonymousBytesPerSession, 0))
        case .cursors:
            rows += [
                ("window_seconds", "window (s)", windowSeconds, 2),
                ("cursors_sent", "cursors sent", Double(cursorsSent), 0),
                ("sent_per_second", "cursors sent/s", windowSeconds > 0 ? Double(cursorsSent) / windowSeconds : nil, 0),
                ("relays_expected", "relays expected", Double(relaysExpected), 0),
                ("relays_received", "relays received", Double(relaysReceived), 0),
                ("relays_per_second", "relays/s", windowSeconds > 0 ? Double(relaysReceived) / windowSeconds : nil, 0),
                ("loss_percent", "loss (%)", lossPercent, 3),
            ]
        case .durableWrites:
            rows += [
                ("window_seconds", "window (s)", windowSeconds, 2),
                ("requests_sent", "requests sent", Double(requestsSent), 0),
                ("acks", "acked writes", Double(acks), 0),
                ("acks_per_second", "acked writes/s", windowSeconds > 0 ? Double(acks) / windowSeconds : nil, 0),
                ("request_errors", "request errors", Double(requestErrors), 0),
            ]
        }
        if scenario.workload != .idle {
            for (label, quantile) in Self.quantiles {
                rows.append(("latency_\(label.replacingOccurrences(of: ".", with: "_"))_ms", "latency \(label) (ms)",
                             latency.count > 0 ? millis(latency.value(atQuantile: quantile)) : nil, 3))
            }
            rows.append(("latency_max_ms", "latency max (ms)", latency.count > 0 ? millis(latency.max) : nil, 3))
            rows.append(("latency_mean_ms", "latency mean (ms)", latency.count > 0 ? latency.mean / 1e6 : nil, 3))
            rows.append(("server_cpu_ms", "server CPU (ms)", serverCPUMicros.map { Double($0) / 1000 }, 0))
            rows.append(("server_cpu_us_per_message", "server CPU/delivered msg (µs)", serverCPUMicrosPerMessage, 2))
            if nodeCPUMicros.count > 1 {
                for (index, micros) in nodeCPUMicros.enumerated() {
                    rows.append(("node_\(index + 1)_cpu_ms", "  node \(index + 1) CPU (ms)", micros.map { Double($0) / 1000 }, 0))
                }
            }
            rows.append(("redis_cpu_ms", "Redis CPU (ms)", redisCPUMicros.map { Double($0) / 1000 }, 0))
            rows.append(("cluster_cpu_us_per_message", "nodes + Redis CPU/delivered msg (µs)", clusterCPUMicrosPerMessage, 2))
            rows.append(("generator_cpu_ms", "generator CPU (ms)", ownCPUMicros.map { Double($0) / 1000 }, 0))
        }
        rows.append(("dropped_connections", "connections dropped in window", Double(droppedDuringWindow), 0))
        return rows.map { (key: $0.0, label: $0.1, value: $0.2, decimals: $0.3) }
    }

    /// A two-column table.
    public var table: String {
        var lines = ["huddle bench \(scenario.rawValue): \(settings.workspaces) workspaces × \(settings.sessionsPerWorkspace) sessions"
            + (scenario.workload == .cursors ? ", \(Self.number(settings.rateHz)) Hz, \(settings.messageBytes) B" : "")
            + (scenario.workload == .durableWrites ? ", kanban.\(settings.durableWrite.rawValue) at \(Self.number(settings.rateHz))/s" : "")
            + (scenario.workload == .idle ? "" : ", \(Self.number(settings.durationSeconds)) s")]
        let rows = figures.compactMap { row in row.value.map { (row.label, Self.format($0, decimals: row.decimals)) } }
        let width = rows.map(\.0.count).max() ?? 0
        for (label, value) in rows {
            lines.append("  " + label + String(repeating: " ", count: width - label.count) + "  " + value)
        }
        for failure in failures { lines.append("  failure: \(failure)") }
        if let firstRequestError { lines.append("  first request error: \(firstRequestError)") }
        return lines.joined(separator: "\n")
    }

    /// The same figures as one JSON object.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "scenario": .string(scenario.rawValue),
            "workspaces": .int(settings.workspaces),
            "sessions_per_workspace": .int(settings.sessionsPerWorkspace),
            "rate_hz": .double(settings.rateHz),
            "message_bytes": .int(settings.messageBytes),
            "duration_seconds": .double(settings.durationSeconds),
            "durable_write": scenario.workload == .durableWrites ? .string("kanban.\(settings.durableWrite.rawValue)") : .null,
            "failure_reasons": .array(failures.map(JSONValue.string)),
        ]
        for row in figures { object[row.key] = row.value.map(JSONValue.double) ?? .null }
        if let firstRequestError { object["first_request_error"] = .string(firstRequestError) }
        return .object(object)
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    static func format(_ value: Double, decimals: Int) -> String {
        if decimals == 0 { return String(Int(value.rounded())) }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = String(rounded)
        if let dot = text.firstIndex(of: ".") {
            let have = text.distance(from: dot, to: text.endIndex) - 1
            if have < decimals { text += String(repeating: "0", count: decimals - have) }
        }
        return text
    }
}
