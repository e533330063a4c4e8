import HuddleJSON

/// The figures of an S6 reconnect storm, as a table and as JSON. Times are
/// seconds from the drop.
public struct StormReport {
    public let settings: BenchSettings
    public let storm: StormSettings
    public let counters: StormCounters
    public let initialConnectSeconds: Double?
    /// Until every session had its `welcome` after the drop; nil if one never did.
    public let allWelcomedSeconds: Double?
    /// Until every session's presence was exactly its workspace's members
    /// (the last time that state was reached); nil if it did not hold at the end.
    public let convergedSeconds: Double?
    /// From the first reconnect attempt to the last welcome.
    public let reconnectSeconds: Double?
    public let serverCPUStormMicros: UInt64?
    public let serverCPUSettleMicros: UInt64?
    public let ownCPUStormMicros: UInt64?
    /// How long presence was watched after convergence.
    public let settleSeconds: Double?
    public let serverRSSBefore: UInt64?
    /// VmHWM: the highest RSS since the server started.
    public let serverRSSPeak: UInt64?
    public let serverRSSAfter: UInt64?
    /// Set when the population was cut to fit the descriptors (`DescriptorBudget`).
    public var fitNote: String?

    /// The addresses the clients connected to (`--url`).
    public var destinations = 1

    public var sessions: Int { settings.totalSessions }

    public var connectsPerSecond: Double? {
        guard let reconnectSeconds, reconnectSeconds > 0 else { return nil }
        return Double(counters.welcomesAfterDrop) / reconnectSeconds
    }

    /// Presence messages until convergence, per reconnecting session.
    public var presencePerReconnect: Double? {
        counters.reconnects > 0 ? Double(counters.untilConverged.total) / Double(counters.reconnects) : nil
    }

    /// The same, counting the settle period's messages (the grace leaves) too.
    public var presencePerReconnectWithSettle: Double? {
        counters.reconnects > 0
            ? Double(counters.untilConverged.total + counters.inSettle.total) / Double(counters.reconnects) : nil
    }

    /// Everyone welcomed and converged, every resume honoured, and the server
    /// agrees: what a user of the scenario checks first.
    public var isClean: Bool {
        counters.failures.count == 0 && convergedSeconds != nil && counters.workspacesExact == settings.workspaces
            && counters.untilConverged.fromResumedHalf == 0 && counters.inSettle.fromResumedHalf == 0
            && counters.presenceAboutResumed == 0
    }

    private func mebibytes(_ bytes: UInt64?) -> Double? { bytes.map { Double($0) / 1_048_576 } }
    private func millis(_ micros: UInt64?) -> Double? { micros.map { Double($0) / 1000 } }

    private typealias Row = (String, String, Double?, Int)

    /// Named figures in display order; nil values print as "-".
    private var figures: [(key: String, label: String, value: Double?, decimals: Int)] {
        let half = counters.reconnects - counters.resumesAsked
        var rows: [Row] = []
        rows += [
            ("sessions", "sessions connected before the drop", Double(counters.initialWelcomes), 0),
            ("initial_connect_seconds", "initial connect phase (s)", initialConnectSeconds, 3),
            ("sockets_reset", "client sockets reset at the drop (RST)", Double(counters.socketsReset), 0),
            ("drop_ms", "resetting them all, one loop turn (ms)", counters.dropMs, 1),
            ("reconnects_resuming", "reconnects resuming with ?session=", Double(counters.resumesAsked), 0),
            ("reconnects_new", "reconnects as new sessions", Double(half), 0),
            ("latest_reconnect_lag_ms", "latest reconnect start after its moment (ms)", counters.latestReconnectLagMs, 1),
        ] as [Row]
        rows += [
            ("welcomed_after_drop", "sessions welcomed after the drop", Double(counters.welcomesAfterDrop), 0),
            ("resumed", "welcomes saying \"resumed\": true", Double(counters.resumed), 0),
            ("resumes_refused", "resumes refused (\"resumed\": false)", Double(counters.resumesRefused), 0),
        ] as [Row]
        rows += [
            ("retries", "attempts ended before welcome, retried", Double(counters.retries), 0),
            ("server_evicted_handshakes", "  server: evicted (limits.max_http_connections)", counters.serverEvictions.map(Double.init), 0),
            ("server_shed_connections", "  server: shed (out of descriptors)", counters.serverShed.map(Double.init), 0),
            ("listen_overflows", "kernel: listen queue overflows (machine-wide)", counters.listenQueue.map { Double($0.listenOverflows) }, 0),
            ("syn_retransmits", "kernel: SYN retransmits (machine-wide)", counters.listenQueue.map { Double($0.synRetransmits) }, 0),
            ("failures", "failures", Double(counters.failures.count), 0),
            ("server_closes", "server closes", Double(counters.failures.serverCloses), 0),
            ("all_welcomed_seconds", "time to every welcome (s)", allWelcomedSeconds, 3),
            ("converged_seconds", "time to presence converged (s)", convergedSeconds, 3),
            ("connects_per_second", "connects/s (first reconnect → last welcome)", connectsPerSecond, 0),
        ] as [Row]
        rows += [
            ("presence_until_converged", "presence msgs, drop → converged", Double(counters.untilConverged.total), 0),
            ("presence_joins", "  joins", Double(counters.untilConverged.joins), 0),
            ("presence_leaves", "  leaves", Double(counters.untilConverged.leaves), 0),
            ("presence_updates", "  updates", Double(counters.untilConverged.updates), 0),
            ("presence_from_resumed", "  about the resumed half (must be 0)", Double(counters.untilConverged.fromResumedHalf), 0),
            ("presence_per_reconnect", "  per reconnecting session", presencePerReconnect, 2),
        ] as [Row]
        rows += [
            ("settle_seconds", "settle after convergence (s)", settleSeconds, 2),
            ("presence_in_settle", "presence msgs in the settle (grace leaves)", Double(counters.inSettle.total), 0),
            ("presence_in_settle_from_resumed", "  about the resumed half (must be 0)", Double(counters.inSettle.fromResumedHalf), 0),
            ("presence_per_reconnect_with_settle", "presence msgs per reconnect, settle included", presencePerReconnectWithSettle, 2),
            ("presence_about_resumed", "resumed half, honoured resumes (must be 0)", Double(counters.presenceAboutResumed), 0),
            ("presence_about_refused", "resumed half, refused resumes", Double(counters.presenceAboutRefusedResumes), 0),
            ("convergence_lost", "times convergence was lost again", Double(counters.convergenceLost), 0),
            ("converged_at_end", "sessions converged at the end", Double(counters.convergedAtEnd), 0),
            ("workspaces_exact", "workspaces exact in GET …/presence", Double(counters.workspacesExact), 0),
        ] as [Row]
        rows += [
            ("server_cpu_storm_ms", "server CPU, drop → converged (ms)", millis(serverCPUStormMicros), 0),
            ("server_cpu_settle_ms", "server CPU in the settle (ms)", millis(serverCPUSettleMicros), 0),
            ("generator_cpu_storm_ms", "generator CPU, drop → converged (ms)", millis(ownCPUStormMicros), 0),
            ("server_rss_before_mib", "server RSS before the drop (MiB)", mebibytes(serverRSSBefore), 1),
            ("server_rss_peak_mib", "server peak RSS, VmHWM (MiB)", mebibytes(serverRSSPeak), 1),
            ("server_rss_after_mib", "server RSS after the settle (MiB)", mebibytes(serverRSSAfter), 1),
        ] as [Row]
        return rows.map { (key: $0.0, label: $0.1, value: $0.2, decimals: $0.3) }
    }

    public var table: String {
        var lines = ["huddle bench s6: \(settings.workspaces) workspaces × \(settings.sessionsPerWorkspace) sessions "
            + "(\(DescriptorBudget.grouped(sessions))), all reset at once, reconnecting over \(BenchReport.number(storm.spreadSeconds)) s, "
            + "even members resuming" + (destinations > 1 ? ", clients spread over \(destinations) addresses" : "")]
        if let fitNote { lines.append("  " + fitNote) }
        let width = figures.map(\.label.count).max() ?? 0
        for row in figures {
            let value = row.value.map { BenchReport.format($0, decimals: row.decimals) } ?? "-"
            lines.append("  " + row.label + String(repeating: " ", count: width - row.label.count) + "  " + value)
        }
        for reason in counters.retryReasons { lines.append("  retried after: \(reason)") }
        for reason in counters.failures.reasons { lines.append("  failure: \(reason)") }
        for problem in counters.checkProblems.prefix(10) { lines.append("  check: \(problem)") }
        return lines.joined(separator: "\n")
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "scenario": "s6",
            "workspaces": .int(settings.workspaces),
            "sessions_per_workspace": .int(settings.sessionsPerWorkspace),
            "spread_seconds": .double(storm.spreadSeconds),
            "destinations": .int(destinations),
            "fit_note": fitNote.map(JSONValue.string) ?? .null,
            "failure_reasons": .array(counters.failures.reasons.map(JSONValue.string)),
            "retry_reasons": .array(counters.retryReasons.map(JSONValue.string)),
            "check_problems": .array(counters.checkProblems.map(JSONValue.string)),
        ]
        for row in figures { object[row.key] = row.value.map(JSONValue.double) ?? .null }
        return .object(object)
    }
}
