import ArgumentParser
import Foundation
import HuddleConfig
import HuddleServer
import Logging

@main
struct Huddle: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "huddle",
        abstract: "Workspace presence over WebSocket: who is online, typing and pointing, plus domain plugins on SQLite.",
        version: HuddleVersion.current,
        subcommands: [Serve.self, Token.self, CheckConfig.self, Bench.self],
        defaultSubcommand: Serve.self
    )
}

/// Options every command that reads configuration shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("TOML config file (else $HUDDLE_CONFIG, else built-in defaults).", valueName: "file"))
    var config: String?

    func load(overrides: CommandLineOverrides = CommandLineOverrides()) throws -> HuddleConfig {
        do {
            return try HuddleConfig.load(file: config, environment: ProcessInfo.processInfo.environment, overrides: overrides)
        } catch {
            FileHandle.standardError.write(Data("huddle: configuration error\n\(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the server; prints `huddle listening on http://HOST:PORT` when it accepts connections.")

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
            server = try HuddleServer(config: config, logger: logger)
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode(1)
        }
        try server.run { port in
            print("huddle listening on http://\(config.server.host):\(port)")
            fflush(stdout)
        }
    }
}

extension Serve {
    /// A parent that spawned us from a thread with signals blocked (test
    /// runners, some supervisors) passes that mask on; SIGTERM must still work.
    static func unblockShutdownSignals() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }
}

struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a JWT signed with the configured auth.jwt_secret, for testers.")

    @OptionGroup var options: ConfigOptions
    @Option(help: "User id (the `sub` claim).") var user: String
    @Option(help: "Display name (default: the user id).") var name: String?
    @Option(help: "Comma-separated workspace ids, or * for all.") var workspaces = "*"
    @Option(help: "viewer, editor or admin.") var role = "editor"
    @Option(help: "Lifetime in seconds.") var ttl = 3600

    func run() throws {
        let config = try options.load()
        guard let secret = config.auth.jwtSecret else {
            FileHandle.standardError.write(Data("huddle: no auth.jwt_secret is configured (set HUDDLE_AUTH_JWT_SECRET)\n".utf8))
            throw ExitCode(2)
        }
        do {
            print(try TokenMinter(secret: secret).mint(user: user, name: name, workspaces: workspaces.split(separator: ",").map(String.init),
                                                       role: role, ttlSeconds: ttl))
        } catch {
            FileHandle.standardError.write(Data("huddle: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate the configuration and plugin options; exit non-zero naming each problem.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let config = try options.load()
        do {
            try HuddleServer.validatePlugins(config)
        } catch {
            FileHandle.standardError.write(Data("huddle: configuration error\n\(error)\n".utf8))
            throw ExitCode(2)
        }
        print("configuration ok")
    }
}

enum HuddleVersion {
    static let current = "0.1.0"
}

enum LogSetup {
    /// swift-log to stderr, so stdout carries only what scripts read (the ready line, tokens).
    static func bootstrapped(level: String) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: level) ?? .info
            return handler
        }
        return Logger(label: "huddle")
    }
}
