import ArgumentParser
import Foundation
import HuddleBench
import HuddleJSON

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate load against a running server and report throughput, loss, latency and cost.",
        discussion: """
            Presets: s1 = 10 workspaces × 50 sessions, cursors at 10 Hz, 100 B, 20 s; \
            s2 = 100 × 100 idle sessions; s3 = 1 × 500 at 2 Hz, 20 s; \
            s4 = 100 sessions in 1 workspace, each sending kanban.move (or --write create) at 50/s, 10 s; \
            s5 = churn: 20 × 100 sessions for 600 s, 10 % of them disconnecting and reconnecting each second, \
            the others sending cursors at 5 Hz, 50 of them writing notes.add at 1/s (with --server-pid: RSS and \
            open descriptors every minute); \
            s6 = reconnect storm: 200 × 100 sessions (fewer if the descriptor limits of this process or --server-pid \
            do not allow them) reset at once, reconnecting over 1 s, even members resuming with ?session=; reports \
            the times to every welcome and to converged presence, and the presence messages it took; it exits 1 \
            unless every session converged, every resume was honoured and none cost a presence message. \
            Sends follow each session's own clock (open loop), so a slow server shows as latency. \
            A cluster: give each node's --url (and --server-pid); the members of every workspace \
            are split across the nodes in turn, and the report adds up their CPU and Redis's.
            """)

    @Option(help: "Server address.") var host = "127.0.0.1"
    @Option(help: "Server port (one node; or use --url).") var port: Int?
    @Option(help: ArgumentHelp("""
        A node, http://HOST:PORT; repeat it or separate with commas for a cluster. \
        https://HOST:PORT (or wss://) connects over TLS and does not check the server's certificate.
        """, valueName: "url"))
    var url: [String] = []
    @Option(help: ArgumentHelp("s1, s2, s3, s4, s5 or s6.", valueName: "name")) var scenario: String
    @Option(help: "Workspaces (overrides the preset).") var workspaces: Int?
    @Option(help: "Sessions per workspace (overrides the preset).") var sessions: Int?
    @Option(help: "Cursor messages (s1, s3) or durable writes (s4) per second per session (overrides the preset).") var rate: Double?
    @Option(help: "Approximate bytes per cursor message (overrides the preset).") var bytes: Int?
    @Option(help: "Measured window in seconds (overrides the preset).") var duration: Double?
    @Option(help: ArgumentHelp("s4 writes: create (kanban.create) or move (kanban.move of one task per session).", valueName: "kind"))
    var write = "move"
    @Option(help: "s5: sessions writing notes.add.") var writers: Int?
    @Option(name: .customLong("write-rate"), help: "s5: notes.add per second per writer.") var writeRate: Double?
    @Option(help: "s5: share of sessions that disconnect and reconnect each second.") var churn: Double?
    @Option(help: "s6: seconds over which the clients reconnect after the drop.") var spread: Double?
    @Option(help: "s6: seconds presence is still watched after convergence (longer than presence.grace_ms).") var settle: Double?
    @Option(name: .customLong("server-pid"), help: "Server (node) process id, for its CPU time and RSS; repeat it for each node.")
    var serverPID: [Int32] = []
    @Option(name: .customLong("redis-pid"), help: "The cluster's redis-server process id, for its CPU time.") var redisPID: Int32?
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        if scenario.lowercased() == "s5" { return try runChurn() }
        if scenario.lowercased() == "s6" { return try runStorm() }
        guard let chosen = BenchScenario(rawValue: scenario.lowercased()) else {
            throw ValidationError("unknown scenario \(scenario); use s1, s2, s3, s4, s5 or s6")
        }
        guard let durableWrite = DurableWrite(rawValue: write) else {
            throw ValidationError("unknown write kind \(write); use create or move")
        }
        var settings = chosen.preset
        settings.durableWrite = durableWrite
        if let workspaces { settings.workspaces = workspaces }
        if let sessions { settings.sessionsPerWorkspace = sessions }
        if let rate { settings.rateHz = rate }
        if let bytes { settings.messageBytes = bytes }
        if let duration { settings.durationSeconds = duration }
        guard settings.workspaces > 0, settings.sessionsPerWorkspace > 0, settings.rateHz >= 0, settings.durationSeconds >= 0 else {
            throw ValidationError("workspaces and sessions must be positive; rate and duration not negative")
        }
        let report = try BenchRun(scenario: chosen, settings: settings,
                                  target: BenchTarget(endpoints: try endpoints(), serverPIDs: serverPID, redisPID: redisPID)).execute()
        print(json ? report.json.jsonString : report.table)
        if report.sessionsWelcomed == 0 { throw ExitCode(1) }
    }

    /// `--url` values, or `--host` and `--port`.
    private func endpoints() throws -> [BenchEndpoint] {
        if url.isEmpty {
            guard let port else { throw ValidationError("give --port (one node) or --url (one or more nodes)") }
            return [BenchEndpoint(host: host, port: port)]
        }
        guard port == nil else { throw ValidationError("give --port or --url, not both") }
        let (endpoints, invalid) = BenchEndpoint.list(url)
        guard invalid.isEmpty, !endpoints.isEmpty else {
            throw ValidationError("--url takes http://HOST:PORT or https://HOST:PORT; not understood: \(invalid.joined(separator: ", "))")
        }
        return endpoints
    }

    private func runChurn() throws {
        var settings = ChurnSettings.preset
        if let workspaces { settings.workspaces = workspaces }
        if let sessions { settings.sessionsPerWorkspace = sessions }
        if let rate { settings.rateHz = rate }
        if let duration { settings.durationSeconds = duration }
        var churnSettings = ChurnSettings()
        if let writers { churnSettings.writers = writers }
        if let writeRate { churnSettings.writeRateHz = writeRate }
        if let churn { churnSettings.churnPerSecond = churn }
        guard settings.workspaces > 0, settings.sessionsPerWorkspace > 0, churnSettings.writeRateHz > 0,
              (0...1).contains(churnSettings.churnPerSecond), churnSettings.writers <= settings.totalSessions else {
            throw ValidationError("workspaces, sessions and write rate must be positive, churn 0-1, writers at most the sessions")
        }
        let report = try ChurnRun(settings: settings, churn: churnSettings,
                                  target: BenchTarget(endpoints: try endpoints(), serverPIDs: serverPID)).execute()
        print(json ? report.json.jsonString : report.table)
        if report.counters.welcomes == 0 { throw ExitCode(1) }
    }

    /// S6; unless --sessions says otherwise, as many sessions per workspace
    /// as the descriptors of this process and the server allow.
    private func runStorm() throws {
        var settings = StormSettings.preset
        if let workspaces { settings.workspaces = workspaces }
        var storm = StormSettings()
        if let spread { storm.spreadSeconds = spread }
        if let settle { storm.settleSeconds = settle }
        guard settings.workspaces > 0, storm.spreadSeconds >= 0, storm.settleSeconds >= 0 else {
            throw ValidationError("workspaces must be positive; spread and settle not negative")
        }
        var fitNote: String?
        let budget = DescriptorBudget.current(serverPIDs: serverPID)
        if let sessions {
            settings.sessionsPerWorkspace = sessions
        } else if let budget {
            fitNote = budget.reductionNote(wanted: settings.sessionsPerWorkspace, workspaces: settings.workspaces)
            settings.sessionsPerWorkspace = budget.sessionsPerWorkspace(wanted: settings.sessionsPerWorkspace, workspaces: settings.workspaces)
        }
        guard settings.sessionsPerWorkspace > 0 else {
            throw ValidationError("no session fits: \(budget.map { "fd limit \($0.limit) (\($0.owner))" } ?? "")")
        }
        if let fitNote, json { FileHandle.standardError.write(Data((fitNote + "\n").utf8)) }
        var report = try StormRun(settings: settings, storm: storm,
                                  target: BenchTarget(endpoints: try endpoints(), serverPIDs: serverPID)).execute()
        report.fitNote = fitNote
        print(json ? report.json.jsonString : report.table)
        if !report.isClean { throw ExitCode(1) }
    }
}
