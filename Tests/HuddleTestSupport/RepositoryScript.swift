import Foundation

/// Runs one of the repository's `scripts/` (postgres, nginx) the way a
/// developer does, so tests and people start services the same way.
enum RepositoryScript {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The repository's `scripts/` folder, found from this file's place in the tree.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts")

    /// Runs `scripts/<name>`; returns its stdout, trimmed. Its stderr goes to
    /// `errorLog` when given (for failure messages), else nowhere.
    ///
    /// posix_spawn and waitpid rather than Foundation's `Process`: the scripts
    /// leave daemons behind, and `Process.waitUntilExit` was seen never to
    /// return for them while other tests ran processes in parallel.
    @discardableResult
    static func run(_ name: String, _ arguments: [String], errorLog: String? = nil) throws -> String {
        let path = directory.appendingPathComponent(name).path
        let output = NSTemporaryDirectory() + "huddle-script-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorLog ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failure(description: "cannot run scripts/\(name): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitCode = (status >> 8) & 0xFF
        guard status & 0x7F == 0, exitCode == 0 else {
            throw Failure(description: "scripts/\(name) \(arguments.joined(separator: " ")) failed (status \(status))")
        }
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
