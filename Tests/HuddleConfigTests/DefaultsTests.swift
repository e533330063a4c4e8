import Foundation
import HuddleJSON
import Testing

@testable import HuddleConfig

@Test func noFileNoEnvironmentGivesTheProtocolDefaults() throws {
    let config = try loadConfig()
    #expect(config == HuddleConfig())
    #expect(config.server.host == "127.0.0.1")
    #expect(config.server.port == 8080)
    #expect(config.server.shutdownTimeoutMs == 5000)
    #expect(config.server.relayBatchMs == 3)
    #expect(config.server.requestTimeoutMs == 10000)
    #expect(config.server.idleTimeoutMs == 30000)
    #expect(config.auth.mode == .dev)
    #expect(config.auth.jwtSecret == nil)
    #expect(config.auth.allowedOrigins == ["*"])
    #expect(config.storage.path == "data/huddle.sqlite")
    #expect(config.storage.historyLimit == 10000)
    #expect(config.presence.heartbeatMs == 20000)
    #expect(config.presence.graceMs == 3000)
    #expect(config.typing.ttlMs == 5000)
    #expect(config.typing.maxTargets == 8)
    #expect(config.cursor.maxHz == 30)
    #expect(config.limits.maxMessageBytes == 65536)
    #expect(config.limits.messagesPerSecond == 50)
    #expect(config.limits.burst == 100)
    #expect(config.limits.maxSendBufferBytes == 1_048_576)
    #expect(config.limits.maxConnections == 20000)
    #expect(config.limits.maxHTTPConnections == 1000)
    #expect(config.limits.maxPendingRequests == 100)
    #expect(config.diagnostics.echo == false)
    #expect(config.log.level == "info")
    #expect(config.pluginTables.isEmpty)
    #expect(config.pluginsSectionPresent == false)
    #expect(config.workspaces.isEmpty)
}

/// `conf/huddle.toml`, found from this file's path.
private let shippedConfigPath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("conf/huddle.toml").path

@Test func shippedConfigFileSetsDefaultsAndEnablesTheThreePlugins() throws {
    var config = try HuddleConfig.load(file: shippedConfigPath, environment: [:], overrides: CommandLineOverrides())
    #expect(config.pluginsSectionPresent)
    #expect(config.pluginTables == [
        "contacts": ["required_fields": ["name"], "unique_email": true],
        "notes": ["max_length": 10000],
        "kanban": [
            "columns": ["Backlog", "In Progress", "Review", "Done"],
            "wip_limits": ["In Progress": 5],
        ],
    ])
    config.pluginTables = [:]
    config.pluginsSectionPresent = false
    config.sources = [:]
    #expect(config == HuddleConfig())
}

@Test func shippedConfigFileSetsEveryKeyButTheSecretInItsSection() throws {
    let text = try String(contentsOfFile: shippedConfigPath, encoding: .utf8)
    let locator = TOMLKeyLocator(text: text)
    let commentedOut = ["auth.jwt_secret", "auth.jwt_public_key_file", "auth.jwks_file", "auth.jwks_url", "auth.jwks_ca_file",
                        "auth.issuer", "auth.audience", "tls.cert_file", "tls.key_file", "storage.postgres_url", "cluster.redis_url",
                        "cluster.node_id", "webhooks.url", "webhooks.secret"]
    for key in ConfigKey.catalog where !commentedOut.contains(key.path) {
        #expect(locator.position(table: [key.section], key: key.name) != nil, "missing \(key.path)")
    }
    #expect(text.contains("\n# jwt_secret = "), "the secret stays commented out")
    #expect(text.contains("\n# postgres_url = "), "PostgreSQL is shown, commented out: SQLite is the default")
}

@Test func configFileComesFromHuddleConfigVariableWhenNoFlagNamesOne() throws {
    let file = try TemporaryConfigFile("[server]\nport = 9001\n")
    defer { file.remove() }
    let config = try HuddleConfig.load(
        file: nil, environment: ["HUDDLE_CONFIG": file.path], overrides: CommandLineOverrides())
    #expect(config.server.port == 9001)
}

@Test func configFlagWinsOverHuddleConfigVariable() throws {
    let flagged = try TemporaryConfigFile("[server]\nport = 9001\n")
    let fromEnvironment = try TemporaryConfigFile("[server]\nport = 9002\n")
    defer {
        flagged.remove()
        fromEnvironment.remove()
    }
    let config = try HuddleConfig.load(
        file: flagged.path, environment: ["HUDDLE_CONFIG": fromEnvironment.path], overrides: CommandLineOverrides())
    #expect(config.server.port == 9001)
}

@Test func missingConfigFileIsAProblemNamingIt() throws {
    let path = "/nonexistent/huddle-\(UUID().uuidString).toml"
    do {
        _ = try HuddleConfig.load(file: path, environment: [:], overrides: CommandLineOverrides())
        Issue.record("a missing file loaded")
    } catch {
        #expect(error.problems.map(\.source) == [path])
    }
}
