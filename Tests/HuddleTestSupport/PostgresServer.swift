import Foundation

/// A private PostgreSQL server for one fault test (restarted or stopped
/// without disturbing the shared test server), run by `scripts/postgres`.
public final class PostgresServer {
    public let directory: String
    public private(set) var url = ""

    /// Creates and starts a cluster in a new temporary directory.
    public init() throws {
        directory = NSTemporaryDirectory() + "huddle-pg-" + UUID().uuidString.prefix(8)
        url = try Self.script(["start", "--dir", directory])
    }

    deinit { _ = try? Self.script(["stop", directory]) }

    /// Stops the server and keeps its data (`start()` brings it back on the same port).
    public func halt() throws { _ = try Self.script(["halt", directory]) }

    public func start() throws { url = try Self.script(["start", "--dir", directory]) }

    /// A fast shutdown (open connections are cut) and a start on the same port.
    public func restart() throws { _ = try Self.script(["restart", directory]) }

    /// The repository's `scripts/postgres`, found from this file's place in the tree.
    static let scriptPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/postgres").path

    /// Runs the script; its stdout (the URL), trimmed.
    ///
    /// posix_spawn and waitpid rather than Foundation's `Process`: the script
    /// leaves daemons behind, and `Process.waitUntilExit` was seen never to
    /// return for it while other tests ran processes in parallel.
    @discardableResult
    static func script(_ arguments: [String]) throws -> String {
        let output = NSTemporaryDirectory() + "huddle-pg-script-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([scriptPath] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, scriptPath, &actions, nil, argv, environ)
        guard spawned == 0 else { throw TestStorage.Failure("cannot run scripts/postgres: error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitCode = (status >> 8) & 0xFF
        guard status & 0x7F == 0, exitCode == 0 else {
            throw TestStorage.Failure("scripts/postgres \(arguments.joined(separator: " ")) failed (status \(status))")
        }
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
