import HuddleJSON

/// The figures of an S5 churn run, as a table and as JSON.
public struct ChurnReport {
    public let settings: BenchSettings
    public let churn: ChurnSettings
    public let counters: ChurnCounters
    public let samples: [ChurnSample]

    /// The first sample is taken when every session is connected; the spread
    /// is measured from the next one on (after a minute of churn: warm-up).
    var afterWarmUp: [ChurnSample] { Array(samples.dropFirst()) }

    /// (max − min) / min over the samples after warm-up, in percent.
    static func spreadPercent(_ values: [Double]) -> Double? {
        guard let low = values.min(), let high = values.max(), low > 0 else { return nil }
        return (high - low) * 100 / low
    }

    public var rssSpreadPercent: Double? {
        Self.spreadPercent(afterWarmUp.compactMap { $0.residentBytes.map(Double.init) })
    }

    public var descriptorSpreadPercent: Double? {
        Self.spreadPercent(afterWarmUp.compactMap { $0.openDescriptors.map(Double.init) })
    }

    public var table: String {
        var lines = ["huddle bench s5: \(settings.workspaces) workspaces × \(settings.sessionsPerWorkspace) sessions, "
            + "\(Int((churn.churnPerSecond * 100).rounded())) % churn/s, cursors at \(settings.rateHz) Hz, "
            + "\(churn.writers) writers at \(churn.writeRateHz)/s, \(Int(settings.durationSeconds)) s"]
        lines.append("  time (s)   RSS (MiB)   open fds")
        for sample in samples {
            let rss = sample.residentBytes.map { String(format: "%.1f", Double($0) / 1_048_576) } ?? "-"
            let fds = sample.openDescriptors.map(String.init) ?? "-"
            lines.append("  " + pad(String(Int(sample.seconds.rounded())), 8) + "   " + pad(rss, 9) + "   " + pad(fds, 8))
        }
        let rows: [(String, String)] = [
            ("RSS spread after warm-up (%)", rssSpreadPercent.map { String(format: "%.1f", $0) } ?? "-"),
            ("fd spread after warm-up (%)", descriptorSpreadPercent.map { String(format: "%.1f", $0) } ?? "-"),
            ("welcomes", "\(counters.welcomes)"),
            ("resumed sessions", "\(counters.resumed)"),
            ("clean closes / TCP drops", "\(counters.cleanCloses) / \(counters.drops)"),
            ("cursors sent / relays received", "\(counters.cursorsSent) / \(counters.relaysReceived)"),
            ("notes sent / acked / refused", "\(counters.writesSent) / \(counters.writesAcked) / \(counters.writeErrors)"),
            ("acked writes lost", "\(counters.ackedWritesLost)"),
            ("ghost or missing presence sessions", "\(counters.ghostSessions)"),
            ("server closes", "\(counters.failures.serverCloses)"),
            ("failures", "\(counters.failures.count)"),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        for (label, value) in rows { lines.append("  " + label + String(repeating: " ", count: width - label.count) + "  " + value) }
        for reason in counters.failures.reasons { lines.append("  failure: \(reason)") }
        for problem in counters.checkProblems.prefix(10) { lines.append("  check: \(problem)") }
        return lines.joined(separator: "\n")
    }

    public var json: JSONValue {
        .object([
            "scenario": "s5",
            "workspaces": .int(settings.workspaces),
            "sessions_per_workspace": .int(settings.sessionsPerWorkspace),
            "cursor_rate_hz": .double(settings.rateHz),
            "writers": .int(churn.writers),
            "duration_seconds": .double(settings.durationSeconds),
            "samples": .array(samples.map { sample in
                .object([
                    "seconds": .double(sample.seconds),
                    "rss_bytes": sample.residentBytes.map { .int(Int($0)) } ?? .null,
                    "open_fds": sample.openDescriptors.map { .int($0) } ?? .null,
                ])
            }),
            "rss_spread_percent": rssSpreadPercent.map(JSONValue.double) ?? .null,
            "fd_spread_percent": descriptorSpreadPercent.map(JSONValue.double) ?? .null,
            "welcomes": .int(counters.welcomes), "resumed": .int(counters.resumed),
            "clean_closes": .int(counters.cleanCloses), "drops": .int(counters.drops),
            "cursors_sent": .int(counters.cursorsSent), "relays_received": .int(counters.relaysReceived),
            "writes_sent": .int(counters.writesSent), "writes_acked": .int(counters.writesAcked),
            "write_errors": .int(counters.writeErrors), "acked_writes_lost": .int(counters.ackedWritesLost),
            "ghost_sessions": .int(counters.ghostSessions), "server_closes": .int(counters.failures.serverCloses),
            "failures": .int(counters.failures.count),
            "failure_reasons": .array(counters.failures.reasons.map(JSONValue.string)),
            "check_problems": .array(counters.checkProblems.map(JSONValue.string)),
        ])
    }

    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
