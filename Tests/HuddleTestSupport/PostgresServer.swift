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

    /// Runs `scripts/postgres`; its stdout (the URL), trimmed.
    @discardableResult
    static func script(_ arguments: [String]) throws -> String {
        try RepositoryScript.run("postgres", arguments)
    }
}
