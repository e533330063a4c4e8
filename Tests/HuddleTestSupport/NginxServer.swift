import Foundation

/// Debian's nginx in front of Huddle nodes, configured exactly as
/// `scripts/cluster` configures it (`scripts/nginx` renders
/// `scripts/nginx-cluster.conf.template`): HTTP and WebSocket, round robin,
/// no sticky sessions. Every answer carries `X-Huddle-Upstream: 127.0.0.1:PORT`,
/// the node that served it.
public final class NginxServer {
    public struct StartFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The header naming the node behind an answer.
    public static let upstreamHeader = "X-Huddle-Upstream"

    public let port: Int
    /// nginx's own directory: configuration, pid, access and error logs.
    public let directory: String

    /// Starts nginx on a free loopback port, balancing over `nodePorts`.
    public init(nodePorts: [Int]) throws {
        directory = NSTemporaryDirectory() + "huddle-nginx-" + UUID().uuidString.prefix(8)
        let errors = directory + ".stderr"
        defer { try? FileManager.default.removeItem(atPath: errors) }
        // The port is free when asked, but another process may take it first: try a few.
        var lastFailure: Error?
        for _ in 0..<5 {
            let candidate = try RedisServer.freePort()
            do {
                try RepositoryScript.run("nginx", ["start", "--dir", directory, "--port", String(candidate)]
                                         + nodePorts.map(String.init), errorLog: errors)
                port = candidate
                return
            } catch {
                lastFailure = error
            }
        }
        let log = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        throw StartFailure(description: "nginx did not start: \(lastFailure.map { "\($0)" } ?? "")\n\(log.suffix(800))")
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Stops nginx (fast shutdown); its logs stay until the object goes away.
    public func stop() {
        _ = try? RepositoryScript.run("nginx", ["stop", directory])
    }

    /// One line per finished request: `… "GET /path HTTP/1.1" 200 upstream=127.0.0.1:PORT …`.
    /// A WebSocket's line is written when it closes.
    public func accessLog() -> String {
        (try? String(contentsOfFile: directory + "/access.log", encoding: .utf8)) ?? ""
    }

    /// The port of the node named by an `X-Huddle-Upstream` value, if any.
    public static func upstreamPort(in headers: [(String, String)]) -> Int? {
        let value = headers.first { $0.0.lowercased() == upstreamHeader.lowercased() }?.1
        return value.flatMap { $0.split(separator: ":").last }.flatMap { Int($0) }
    }
}
