import ArgumentParser
import Foundation
import HuddleConfig
import HuddleServer
import Logging

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the server; prints `huddle listening on http://HOST:PORT` (https with [tls]) when it accepts connections.")

    @OptionGroup var options: ConfigOptions
    @Option(help: "Listen address (server.host).") var host: String?
    @Option(help: "Listen port; 0 picks a free one (server.port).") var port: Int?
    @Option(help: ArgumentHelp("SQLite file (storage.path), or a postgres:// URL (storage.postgres_url).", valueName: "path-or-url"))
    var storage: String?

    func run() throws {
        let config = try options.load(overrides: CommandLineOverrides(host: host, port: port, storage: storage))
        Self.unblockShutdownSignals()
        let logger = LogSetup.bootstrapped(level: config.log.level)
        let server: HuddleServer
        do {
            server = try HuddleServer(config: config, logger: logger, plugins: HuddleCommand.plugins)
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode(1)
        }
        try server.run { port in
            print("huddle listening on \(server.scheme)://\(config.server.host):\(port)")
            fflush(stdout)
        }
    }
}

extension Serve {
    /// A parent that spawned us from a thread with signals blocked (test
    /// runners, some supervisors) passes that mask on; SIGTERM must still
    /// work, and SIGHUP (the TLS reload).
    static func unblockShutdownSignals() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGHUP)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }
}
