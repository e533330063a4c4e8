// The sections of the config file, one struct each. Every key sits next to its
// default and, where it has one, its allowed range: this is the only place
// those numbers are written down.

extension HuddleConfig {
    /// `[server]`: where Huddle listens and how long it may take to stop.
    public struct Server: Equatable, Sendable {
        /// `host`: listen address.
        public var host = "127.0.0.1"
        /// `port`: listen port; `0` takes any free port (printed in the ready line).
        public var port = 8080
        public static let portRange = 0...65535
        /// `shutdown_timeout_ms`: bound on a graceful shutdown.
        public var shutdownTimeoutMs = 5000
        public static let shutdownTimeoutMsRange = 0...600_000
        /// `relay_batch_ms`: how long relays and broadcasts (cursor, typing,
        /// presence, other sessions' durable events) may wait to share one
        /// write with the session's other output; 0 sends them at the end of
        /// the loop turn. Acks, errors and welcomes never wait.
        public var relayBatchMs = 3
        public static let relayBatchMsRange = 0...1000
        /// `request_timeout_ms`: a request's head and body must arrive within
        /// this long of its first byte (a new connection's first request, of
        /// the accept); otherwise 408 and close, so a slow sender cannot hold
        /// a connection forever.
        public var requestTimeoutMs = 10_000
        public static let requestTimeoutMsRange = 100...600_000
        /// `idle_timeout_ms`: a keep-alive HTTP connection with no request in
        /// flight is closed after this long.
        public var idleTimeoutMs = 30_000
        public static let idleTimeoutMsRange = 100...3_600_000

        public init() {}
    }

    /// `[auth]`: who may connect.
    public struct Auth: Equatable, Sendable {
        /// `mode`: `dev` trusts `?user=`; `jwt` requires a signed token.
        public var mode = AuthMode.dev
        /// `jwt_secret`: HS256 secret, required in jwt mode. Prefer the
        /// environment variable `HUDDLE_AUTH_JWT_SECRET` to the file.
        public var jwtSecret: String? = nil
        /// A shorter HMAC secret is too easy to guess.
        public static let jwtSecretMinimumBytes = 16
        /// `allowed_origins`: `Origin` allowlist for WebSocket upgrades, each
        /// `*` or an exact `scheme://host[:port]`.
        public var allowedOrigins = [AllowedOrigin.anyOrigin]
        /// `api_keys`: keys a backend sends as `Authorization: apikey <key>`
        /// for the server API; the environment variable may list them
        /// comma-separated. Prefer it to the file: these are secrets.
        public var apiKeys: [String] = []
        /// A shorter key is too easy to guess.
        public static let apiKeyMinimumBytes = 16
        /// `jwt_public_key_file`: one PEM public key (RSA, EC P-256/P-384,
        /// Ed25519) that checks tokens; its type pins the algorithms.
        public var jwtPublicKeyFile: String? = nil
        /// `jwks_file`: a JWKS document on disk, read at start.
        public var jwksFile: String? = nil
        /// `jwks_url`: an identity provider's JWKS, fetched over HTTPS.
        public var jwksURL: String? = nil
        /// `jwks_refresh_s`: how often `jwks_url` is fetched again.
        public var jwksRefreshS = 300
        public static let jwksRefreshSRange = 60...86_400
        /// `jwks_ca_file`: a PEM CA bundle trusted for `jwks_url` instead of the system's.
        public var jwksCAFile: String? = nil
        /// `issuer`: when set, a token's `iss` must equal it.
        public var issuer: String? = nil
        /// `audience`: when set, a token's `aud` must contain it.
        public var audience: String? = nil

        /// Whether anything can check a token: a secret or a public key source.
        public var hasVerificationKey: Bool {
            jwtSecret != nil || jwtPublicKeyFile != nil || jwksFile != nil || jwksURL != nil
        }

        public init() {}
    }

    /// `[storage]`: the SQLite file, or the PostgreSQL database.
    public struct Storage: Equatable, Sendable {
        /// `path`: SQLite file; its directories are created. Not used when
        /// `postgres_url` is set (setting both is an error).
        public var path = "data/huddle.sqlite"
        /// `postgres_url`: a PostgreSQL database (`postgres://user:password@host:port/db`)
        /// instead of the SQLite file; several Huddle processes may share it.
        public var postgresURL: PostgresURL? = nil
        /// `history_limit`: durable events kept per workspace.
        public var historyLimit = 10_000
        public static let historyLimitRange = 1...100_000_000

        public init() {}
    }

    /// `[presence]`: keep-alive and leaving.
    public struct Presence: Equatable, Sendable {
        /// `heartbeat_ms`: WebSocket ping interval.
        public var heartbeatMs = 20_000
        public static let heartbeatMsRange = 1000...600_000
        /// `grace_ms`: delay before a vanished session leaves.
        public var graceMs = 3000
        public static let graceMsRange = 0...600_000

        public init() {}
    }

    /// `[typing]`: typing indicators.
    public struct Typing: Equatable, Sendable {
        /// `ttl_ms`: a typing indicator expires after this long.
        public var ttlMs = 5000
        public static let ttlMsRange = 100...600_000
        /// `max_targets`: typing targets per session.
        public var maxTargets = 8
        public static let maxTargetsRange = 1...1000

        public init() {}
    }

    /// `[cursor]`: cursor relays.
    public struct Cursor: Equatable, Sendable {
        /// `max_hz`: cursor relays per session per second.
        public var maxHz = 30
        public static let maxHzRange = 1...1000

        public init() {}
    }

    /// `[limits]`: per-session and per-server limits.
    public struct Limits: Equatable, Sendable {
        /// `max_message_bytes`: largest message; bigger closes with 1009.
        public var maxMessageBytes = 65_536
        public static let maxMessageBytesRange = 1024...16_777_216
        /// `messages_per_second`: token bucket rate per session.
        public var messagesPerSecond = 50
        public static let messagesPerSecondRange = 1...100_000
        /// `burst`: token bucket size.
        public var burst = 100
        public static let burstRange = 1...100_000
        /// `max_send_buffer_bytes`: slow-consumer threshold.
        public var maxSendBufferBytes = 1_048_576
        public static let maxSendBufferBytesRange = 4096...1_073_741_824
        /// `max_connections`: open WebSocket sessions; over it, HTTP 503.
        public var maxConnections = 20_000
        public static let maxConnectionsRange = 1...10_000_000
        /// `max_http_connections`: connections not yet upgraded to WebSocket.
        /// A new one past it closes the oldest that is waiting on its client,
        /// so idle or slow connections cannot lock everyone else out.
        public var maxHTTPConnections = 1000
        public static let maxHTTPConnectionsRange = 1...1_000_000
        /// `max_pending_requests`: plugin requests of one session waiting for
        /// storage; more are refused `rate_limited`, so a client cannot queue
        /// unbounded work (and memory) behind a slow store.
        public var maxPendingRequests = 100
        public static let maxPendingRequestsRange = 1...100_000

        public init() {}
    }

    /// `[cluster]`: several Huddle nodes sharing presence through Redis and
    /// storage through PostgreSQL. Without `redis_url` the node is alone.
    public struct Cluster: Equatable, Sendable {
        /// `redis_url`: `redis://[:password@]host[:port][/db]`; turns cluster mode on.
        public var redisURL: String? = nil
        /// `node_id`: this node's name in the cluster; default host name and port.
        public var nodeID: String? = nil
        /// `node_ttl_ms`: how long a node may stay silent before the others
        /// drop its sessions (a crashed node's users leave within this + 1 s).
        public var nodeTTLMs = 10_000
        public static let nodeTTLMsRange = 1000...60_000

        public init() {}
    }

    /// `[webhooks]`: presence changes POSTed to the CRM's backend. Off without `url`.
    public struct Webhooks: Equatable, Sendable {
        /// `url`: where the batches go (`http://` or `https://`).
        public var url: String? = nil
        /// `secret`: signs each body (`X-Huddle-Signature: sha256=<hex HMAC>`); required with `url`.
        public var secret: String? = nil
        public static let secretMinimumBytes = 16
        /// `events`: which of these are sent.
        public var events = Self.allEvents
        public static let allEvents = ["user.online", "user.offline", "workspace.occupied", "workspace.vacated"]
        /// `max_queue`: events waiting to be delivered; past it new ones are dropped and counted.
        public var maxQueue = 10_000
        public static let maxQueueRange = 1...10_000_000
        /// `timeout_ms`: one delivery attempt's bound.
        public var timeoutMs = 5000
        public static let timeoutMsRange = 100...60_000

        public init() {}
    }

    /// `[tls]`: native TLS; with both files set the listener serves only https:// and wss://.
    public struct TLS: Equatable, Sendable {
        /// `cert_file`: PEM certificate, its chain after it.
        public var certFile: String? = nil
        /// `key_file`: the certificate's PEM private key.
        public var keyFile: String? = nil
        /// `min_version`: the oldest TLS version accepted.
        public var minVersion = "1.2"
        public static let versions = ["1.2", "1.3"]

        public var isEnabled: Bool { certFile != nil || keyFile != nil }

        public init() {}
    }

    /// `[diagnostics]`: test-only endpoints.
    public struct Diagnostics: Equatable, Sendable {
        /// `echo`: enables `GET /echo`, a plain echo WebSocket for conformance suites.
        public var echo = false

        public init() {}
    }

    /// `[log]`: logging (not in PROTOCOL.md's table; swift-log needs it).
    public struct Log: Equatable, Sendable {
        /// `level`: the lowest level logged, one of ``levels``.
        public var level = "info"
        /// swift-log's level names, most verbose first.
        public static let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

        public init() {}
    }
}

/// `auth.mode`.
public enum AuthMode: String, CaseIterable, Equatable, Sendable {
    /// Identity comes from `?user=` and `?name=`; no token is checked.
    case dev
    /// Every connection needs an HS256 JWT signed with `auth.jwt_secret`.
    case jwt
}
