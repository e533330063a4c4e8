import Foundation
import HuddleJSON

/// A real Huddle cluster for end-to-end tests: a `redis-server`, one
/// PostgreSQL database, N `huddle serve` nodes in cluster mode
/// (`node-1` … `node-N`) and, if asked, nginx in front as `scripts/cluster`
/// runs it. Nodes can be stopped, killed and restarted one by one.
///
/// The database is new on the shared test server when `HUDDLE_TEST_POSTGRES_URL`
/// is set (scripts/test), else on a private server (`scripts/postgres`) that
/// also serves `privatePostgres: true` for tests that stop PostgreSQL.
public final class ClusterProcess {
    public let redis: RedisServer
    /// The private PostgreSQL server, when the cluster has one.
    public let postgres: PostgresServer?
    /// The database every node stores in (`--storage`).
    public let postgresURL: String
    /// Node `i` is `nodes[i]`, named `nodeID(i)`; a restart replaces it.
    public private(set) var nodes: [ServerProcess]
    /// nginx balancing over the nodes, when started with `nginx: true`.
    public let nginx: NginxServer?
    /// The `HUDDLE_*` settings every node gets besides its cluster keys.
    public let environment: [String: String]

    /// Starts Redis, PostgreSQL, `nodes` nodes with `environment` (e.g. a short
    /// `HUDDLE_CLUSTER_NODE_TTL_MS`), then nginx if `nginx` is true.
    public init(nodes count: Int = 3, environment: [String: String] = [:], nginx withNginx: Bool = false,
                privatePostgres: Bool = false) throws {
        self.environment = environment
        redis = try RedisServer()
        if let shared = TestStorage.postgresURL, !privatePostgres {
            postgres = nil
            postgresURL = try TestStorage.createDatabase(on: shared)
        } else {
            let server = try PostgresServer()
            postgres = server
            postgresURL = server.url
        }
        nodes = []
        for index in 0..<count {
            nodes.append(try ServerProcess(environment: Self.nodeEnvironment(environment, id: Self.nodeID(index), redis: redis),
                                           storage: postgresURL))
        }
        nginx = withNginx ? try NginxServer(nodePorts: nodes.map(\.port)) : nil
    }

    deinit {
        nginx?.stop()
        for node in nodes where node.isRunning { node.stop() }
    }

    /// `node-1` for index 0, as `scripts/cluster` names them.
    public static func nodeID(_ index: Int) -> String { "node-\(index + 1)" }

    /// The environment of one node: `environment` plus its cluster keys.
    static func nodeEnvironment(_ environment: [String: String], id: String, redis: RedisServer) -> [String: String] {
        environment.merging(["HUDDLE_CLUSTER_REDIS_URL": redis.url, "HUDDLE_CLUSTER_NODE_ID": id]) { _, cluster in cluster }
    }

    /// Waits until every running node's `/healthz` says `cluster.redis: connected`.
    public func waitUntilLinked(timeout: Double = 20) throws {
        for (index, node) in nodes.enumerated() where node.isRunning {
            try waitUntil("\(Self.nodeID(index)) linked to Redis", timeout: timeout) {
                try Self.health(of: node)?["cluster"]?["redis"] == "connected"
            }
        }
    }

    /// A node's `/healthz` document, straight from the node.
    public static func health(of node: ServerProcess) throws -> JSONValue? {
        try? JSONParser.parse(HTTPTestClient.request(port: node.port, method: "GET", path: "/healthz").body)
    }

    /// The index of the node listening on `port` (e.g. from `X-Huddle-Upstream`).
    public func nodeIndex(port: Int) -> Int? { nodes.firstIndex { $0.port == port } }

    /// SIGTERM to node `index` (a graceful stop: sessions closed with 1001); its exit status.
    @discardableResult
    public func stop(node index: Int) -> Int32 { nodes[index].stop() }

    /// SIGKILL to node `index`: a crash, no shutdown work at all.
    public func kill(node index: Int) { nodes[index].kill() }

    /// Starts node `index` again, stopping it first if it still runs: same
    /// id, port, storage and settings, so nginx sends it traffic again.
    /// `environment` adds to or overrides the cluster's settings for it.
    public func restart(node index: Int, environment extra: [String: String] = [:]) throws {
        let old = nodes[index]
        if old.isRunning { old.stop() }
        nodes[index] = try ServerProcess(
            environment: Self.nodeEnvironment(environment.merging(extra) { _, new in new }, id: Self.nodeID(index), redis: redis),
            storage: postgresURL, port: old.port)
    }
}
