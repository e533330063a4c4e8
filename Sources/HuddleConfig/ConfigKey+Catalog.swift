import Foundation

/// Every `section.key` of PROTOCOL.md §10 (plus `log.level`), bound to its
/// field. Defaults and ranges live with the fields in `HuddleConfig+Sections.swift`.
extension ConfigKey {
    typealias C = HuddleConfig

    // The keys that command-line flags override.
    static let serverHost = string("server", "host", \.server.host)
    static let serverPort = integer("server", "port", \.server.port, C.Server.portRange)
    static let storagePath = string("storage", "path", \.storage.path)
    static let storagePostgresURL = ConfigKey(section: "storage", name: "postgres_url", takesRawText: true) { value, config in
        guard let text = value.string else { return mismatch(expected: "a postgres:// URL string", found: value) }
        if let problem = PostgresURL.problem(with: text) { return problem }
        config.storage.postgresURL = PostgresURL(text)
        return nil
    }

    static let catalog: [ConfigKey] = [
        serverHost,
        serverPort,
        .integer("server", "shutdown_timeout_ms", \.server.shutdownTimeoutMs, C.Server.shutdownTimeoutMsRange),
        .integer("server", "relay_batch_ms", \.server.relayBatchMs, C.Server.relayBatchMsRange),
        .integer("server", "request_timeout_ms", \.server.requestTimeoutMs, C.Server.requestTimeoutMsRange),
        .integer("server", "idle_timeout_ms", \.server.idleTimeoutMs, C.Server.idleTimeoutMsRange),

        .choice("auth", "mode", \.auth.mode),
        .optionalString("auth", "jwt_secret", \.auth.jwtSecret, validate: { jwtSecretProblem($0) }),
        .stringList("auth", "allowed_origins", \.auth.allowedOrigins, validate: { AllowedOrigin.problem(with: $0) }),
        authAPIKeys,
        .optionalString("auth", "jwt_public_key_file", \.auth.jwtPublicKeyFile, validate: { nonEmpty($0) }),
        .optionalString("auth", "jwks_file", \.auth.jwksFile, validate: { nonEmpty($0) }),
        .optionalString("auth", "jwks_url", \.auth.jwksURL, validate: { jwksURLProblem($0) }),
        .integer("auth", "jwks_refresh_s", \.auth.jwksRefreshS, C.Auth.jwksRefreshSRange),
        .optionalString("auth", "jwks_ca_file", \.auth.jwksCAFile, validate: { nonEmpty($0) }),
        .optionalString("auth", "issuer", \.auth.issuer, validate: { nonEmpty($0) }),
        .optionalString("auth", "audience", \.auth.audience, validate: { nonEmpty($0) }),

        .optionalString("tls", "cert_file", \.tls.certFile, validate: { nonEmpty($0) }),
        .optionalString("tls", "key_file", \.tls.keyFile, validate: { nonEmpty($0) }),
        .string("tls", "min_version", \.tls.minVersion, validate: { C.TLS.versions.contains($0) ? nil : oneOf(C.TLS.versions, found: $0) }),

        storagePath,
        storagePostgresURL,
        .integer("storage", "history_limit", \.storage.historyLimit, C.Storage.historyLimitRange),

        .integer("presence", "heartbeat_ms", \.presence.heartbeatMs, C.Presence.heartbeatMsRange),
        .integer("presence", "grace_ms", \.presence.graceMs, C.Presence.graceMsRange),

        .integer("typing", "ttl_ms", \.typing.ttlMs, C.Typing.ttlMsRange),
        .integer("typing", "max_targets", \.typing.maxTargets, C.Typing.maxTargetsRange),

        .integer("cursor", "max_hz", \.cursor.maxHz, C.Cursor.maxHzRange),

        .integer("limits", "max_message_bytes", \.limits.maxMessageBytes, C.Limits.maxMessageBytesRange),
        .integer("limits", "messages_per_second", \.limits.messagesPerSecond, C.Limits.messagesPerSecondRange),
        .integer("limits", "burst", \.limits.burst, C.Limits.burstRange),
        .integer("limits", "max_send_buffer_bytes", \.limits.maxSendBufferBytes, C.Limits.maxSendBufferBytesRange),
        .integer("limits", "max_connections", \.limits.maxConnections, C.Limits.maxConnectionsRange),
        .integer("limits", "max_http_connections", \.limits.maxHTTPConnections, C.Limits.maxHTTPConnectionsRange),
        .integer("limits", "max_pending_requests", \.limits.maxPendingRequests, C.Limits.maxPendingRequestsRange),

        .optionalString("cluster", "redis_url", \.cluster.redisURL, validate: { redisURLProblem($0) }),
        .optionalString("cluster", "node_id", \.cluster.nodeID, validate: { nodeIDProblem($0) }),
        .integer("cluster", "node_ttl_ms", \.cluster.nodeTTLMs, C.Cluster.nodeTTLMsRange),

        .optionalString("webhooks", "url", \.webhooks.url, validate: { webhookURLProblem($0) }),
        .optionalString("webhooks", "secret", \.webhooks.secret, validate: { webhookSecretProblem($0) }),
        .stringList("webhooks", "events", \.webhooks.events, validate: { webhookEventProblem($0) }),
        .integer("webhooks", "max_queue", \.webhooks.maxQueue, C.Webhooks.maxQueueRange),
        .integer("webhooks", "timeout_ms", \.webhooks.timeoutMs, C.Webhooks.timeoutMsRange),

        .boolean("diagnostics", "echo", \.diagnostics.echo),

        .string("log", "level", \.log.level, validate: { logLevelProblem($0) }),
    ]

    /// The sections made of plain keys, in catalog order.
    static let keyedSections: [String] = catalog.reduce(into: []) { sections, key in
        if !sections.contains(key.section) { sections.append(key.section) }
    }

    static func find(section: String, name: String) -> ConfigKey? {
        catalog.first { $0.section == section && $0.name == name }
    }

    static func names(in section: String) -> [String] {
        catalog.filter { $0.section == section }.map(\.name)
    }

    /// A TOML array of strings, or (as the environment gives it) one string of comma-separated keys.
    static let authAPIKeys = ConfigKey(section: "auth", name: "api_keys", takesRawText: true) { value, config in
        let keys: [String]
        if let text = value.string {
            keys = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        } else if let array = stringArray(value) {
            keys = array
        } else {
            return "must be an array of strings (or, in the environment, comma-separated keys)"
        }
        let minimum = C.Auth.apiKeyMinimumBytes
        // Never repeat a key: it is a secret.
        if let short = keys.firstIndex(where: { $0.utf8.count < minimum }) {
            return "key \(short + 1) is shorter than \(minimum) bytes"
        }
        config.auth.apiKeys = keys
        return nil
    }

    private static func jwtSecretProblem(_ secret: String) -> String? {
        let minimum = C.Auth.jwtSecretMinimumBytes
        guard secret.utf8.count < minimum else { return nil }
        return "must be at least \(minimum) bytes, not \(secret.utf8.count)"
    }

    /// Keys fetched over plain HTTP could be replaced on the way.
    private static func jwksURLProblem(_ text: String) -> String? {
        guard let components = URLComponents(string: text), components.scheme == "https",
              let host = components.host, !host.isEmpty else {
            return "is not an https:// URL"
        }
        return nil
    }

    /// The syntax only; the server checks the rest when it connects. Never repeats the URL (it may hold a password).
    private static func redisURLProblem(_ text: String) -> String? {
        guard let components = URLComponents(string: text), components.scheme == "redis",
              let host = components.host, !host.isEmpty else {
            return "is not a redis://[:password@]host[:port][/db] URL"
        }
        return nil
    }

    private static func webhookURLProblem(_ text: String) -> String? {
        guard let components = URLComponents(string: text), ["http", "https"].contains(components.scheme ?? ""),
              components.host?.isEmpty == false else { return "is not an http:// or https:// URL" }
        return nil
    }

    private static func webhookSecretProblem(_ secret: String) -> String? {
        let minimum = C.Webhooks.secretMinimumBytes
        return secret.utf8.count < minimum ? "must be at least \(minimum) bytes, not \(secret.utf8.count)" : nil
    }

    private static func webhookEventProblem(_ event: String) -> String? {
        C.Webhooks.allEvents.contains(event) ? nil : oneOf(C.Webhooks.allEvents, found: event)
    }

    private static func nodeIDProblem(_ id: String) -> String? {
        let allowed = id.utf8.allSatisfy { $0 > 32 && $0 < 127 }
        return !id.isEmpty && id.utf8.count <= 64 && allowed ? nil : "must be 1-64 printable ASCII characters without spaces"
    }

    private static func logLevelProblem(_ level: String) -> String? {
        C.Log.levels.contains(level) ? nil : oneOf(C.Log.levels, found: level)
    }
}
