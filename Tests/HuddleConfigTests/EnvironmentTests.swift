import HuddleJSON
import Testing

@testable import HuddleConfig

@Test func environmentIntegerIsReadAsTOML() throws {
    #expect(try loadConfig(environment: ["HUDDLE_PRESENCE_GRACE_MS": "400"]).presence.graceMs == 400)
}

@Test func environmentBooleanIsReadAsTOML() throws {
    #expect(try loadConfig(environment: ["HUDDLE_DIAGNOSTICS_ECHO": "true"]).diagnostics.echo == true)
}

@Test func environmentArrayIsReadAsTOML() throws {
    let config = try loadConfig(environment: ["HUDDLE_AUTH_ALLOWED_ORIGINS": #"["https://a.example","*"]"#])
    #expect(config.auth.allowedOrigins == ["https://a.example", "*"])
}

@Test func environmentTextThatIsNotTOMLIsAString() throws {
    let config = try loadConfig(environment: [
        "HUDDLE_STORAGE_PATH": "/var/lib/huddle/db.sqlite",
        "HUDDLE_SERVER_HOST": "0.0.0.0",
        "HUDDLE_AUTH_MODE": "jwt",
        "HUDDLE_AUTH_JWT_SECRET": "a secret with spaces!",
    ])
    #expect(config.storage.path == "/var/lib/huddle/db.sqlite")
    #expect(config.server.host == "0.0.0.0")
    #expect(config.auth.mode == .jwt)
    #expect(config.auth.jwtSecret == "a secret with spaces!")
}

@Test func environmentQuotedStringIsUnquoted() throws {
    #expect(try loadConfig(environment: ["HUDDLE_LOG_LEVEL": #""debug""#]).log.level == "debug")
}

@Test func environmentNumericTextForAStringKeyIsTakenAsText() throws {
    let config = try loadConfig(environment: ["HUDDLE_AUTH_JWT_SECRET": "1234567890123456"])
    #expect(config.auth.jwtSecret == "1234567890123456")
}

@Test func environmentVariablesWhoseSecondWordIsNoSectionAreIgnored() throws {
    let config = try loadConfig(environment: [
        "HUDDLE_VERSION": "3",
        "HUDDLE_HOME": "/somewhere",
        "HUDDLE_BUILD_ID": "x",
        "HUDDLE_": "",
        "SERVER_PORT": "1",
        "PATH": "/usr/bin",
    ])
    #expect(config == HuddleConfig())
}

@Test func environmentPluginOptionCreatesTheTableWithoutNarrowingTheEnabledSet() throws {
    let config = try loadConfig(environment: [
        "HUDDLE_PLUGINS_KANBAN_COLUMNS": #"["Todo","Done"]"#,
        "HUDDLE_PLUGINS_KANBAN_WIP_LIMITS": #"{ "Todo" = 3 }"#,
    ])
    #expect(config.pluginTables == ["kanban": ["columns": ["Todo", "Done"], "wip_limits": ["Todo": 3]]])
    #expect(config.pluginsSectionPresent == false)
}

@Test func environmentWrongTypeNamesTheKeyAndTheVariable() throws {
    let problems = try loadProblems(environment: ["HUDDLE_LIMITS_BURST": "lots"])
    #expect(problems == [
        ConfigProblem(key: "limits.burst", source: "environment HUDDLE_LIMITS_BURST",
                      message: #"must be an integer, not a string ("lots")"#)
    ])
}

@Test func environmentUnknownKeyInAKnownSectionIsAProblem() throws {
    let problems = try loadProblems(environment: ["HUDDLE_SERVER_PROT": "80"])
    #expect(problems.map(\.key) == ["server.prot"])
    #expect(problems.map(\.source) == ["environment HUDDLE_SERVER_PROT"])
}

@Test func environmentSectionWithoutKeyIsAProblem() throws {
    let problems = try loadProblems(environment: ["HUDDLE_SERVER": "x", "HUDDLE_PLUGINS_NOTES": "x"])
    #expect(problems.map(\.source) == ["environment HUDDLE_PLUGINS_NOTES", "environment HUDDLE_SERVER"])
}
