/// One thing wrong with a configuration: which key, where it was set, and why
/// it is refused.
public struct ConfigProblem: Equatable, Sendable, CustomStringConvertible {
    /// The dotted key (`server.port`, `plugins.kanban`, `workspaces[0].match`),
    /// or `""` when the problem is not about one key (a TOML syntax error, an
    /// unreadable file).
    public let key: String
    /// Where the value came from: `conf/huddle.toml:12:3` (or just the path
    /// when the position is unknown), `environment HUDDLE_SERVER_PORT`,
    /// `--port`, or `defaults`.
    public let source: String
    /// What is wrong, and what would be right.
    public let message: String

    public init(key: String, source: String, message: String) {
        self.key = key
        self.source = source
        self.message = message
    }

    /// `source: key: message`, e.g. `conf/huddle.toml:4:1: server.port: must be between 0 and 65535, not 70000`.
    public var description: String {
        key.isEmpty ? "\(source): \(message)" : "\(source): \(key): \(message)"
    }
}
