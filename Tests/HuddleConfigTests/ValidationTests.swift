import Testing

@testable import HuddleConfig

@Test func unknownKeyInFileIsAProblemNamingKeyAndLine() throws {
    let problems = try loadProblems(file: "[server]\nport = 8080\n  prot = 80\n")
    #expect(problems.count == 1)
    #expect(problems.first?.key == "server.prot")
    #expect(problems.first?.source == "FILE:3:3")
    #expect(problems.first?.message.hasPrefix("unknown key") == true)
}

@Test func unknownSectionIsAProblem() throws {
    let problems = try loadProblems(file: "[server]\nport = 1\n\n[serevr]\nhost = \"x\"\n")
    #expect(problems.map(\.key) == ["serevr"])
    #expect(problems.map(\.source) == ["FILE:4:1"])
}

@Test func wrongTypeInFileIsAProblem() throws {
    let problems = try loadProblems(file: "[presence]\ngrace_ms = \"3s\"\n")
    #expect(problems == [
        ConfigProblem(key: "presence.grace_ms", source: "FILE:2:1", message: #"must be an integer, not a string ("3s")"#)
    ])
}

@Test func sectionThatIsNotATableIsAProblem() throws {
    let problems = try loadProblems(file: "server = 1\n")
    #expect(problems.map(\.key) == ["server"])
    #expect(problems.map(\.source) == ["FILE:1:1"])
}

/// A key with a range, and the range PROTOCOL.md §10 gives it.
struct BoundedKey: Sendable, CustomTestStringConvertible {
    let section: String
    let name: String
    let range: ClosedRange<Int>
    var testDescription: String { "\(section).\(name)" }
}

private let boundedKeys = [
    BoundedKey(section: "server", name: "port", range: 0...65535),
    BoundedKey(section: "server", name: "shutdown_timeout_ms", range: 0...600_000),
    BoundedKey(section: "server", name: "relay_batch_ms", range: 0...1000),
    BoundedKey(section: "server", name: "request_timeout_ms", range: 100...600_000),
    BoundedKey(section: "server", name: "idle_timeout_ms", range: 100...3_600_000),
    BoundedKey(section: "auth", name: "jwks_refresh_s", range: 60...86_400),
    BoundedKey(section: "storage", name: "history_limit", range: 1...100_000_000),
    BoundedKey(section: "presence", name: "heartbeat_ms", range: 1000...600_000),
    BoundedKey(section: "presence", name: "grace_ms", range: 0...600_000),
    BoundedKey(section: "typing", name: "ttl_ms", range: 100...600_000),
    BoundedKey(section: "typing", name: "max_targets", range: 1...1000),
    BoundedKey(section: "cursor", name: "max_hz", range: 1...1000),
    BoundedKey(section: "limits", name: "max_message_bytes", range: 1024...16_777_216),
    BoundedKey(section: "limits", name: "messages_per_second", range: 1...100_000),
    BoundedKey(section: "limits", name: "burst", range: 1...100_000),
    BoundedKey(section: "limits", name: "max_send_buffer_bytes", range: 4096...1_073_741_824),
    BoundedKey(section: "limits", name: "max_connections", range: 1...10_000_000),
    BoundedKey(section: "limits", name: "max_http_connections", range: 1...1_000_000),
    BoundedKey(section: "limits", name: "max_pending_requests", range: 1...100_000),
    BoundedKey(section: "cluster", name: "node_ttl_ms", range: 1000...60_000),
    BoundedKey(section: "webhooks", name: "max_queue", range: 1...10_000_000),
    BoundedKey(section: "webhooks", name: "timeout_ms", range: 100...60_000),
]

@Test(arguments: boundedKeys)
func valuesJustOutsideTheRangeAreRefused(key: BoundedKey) throws {
    for value in [key.range.lowerBound - 1, key.range.upperBound + 1] {
        let problems = try loadProblems(file: "[\(key.section)]\n\(key.name) = \(value)\n")
        #expect(problems == [
            ConfigProblem(
                key: "\(key.section).\(key.name)", source: "FILE:2:1",
                message: "must be between \(key.range.lowerBound) and \(key.range.upperBound), not \(value)")
        ])
    }
}

@Test(arguments: boundedKeys)
func valuesAtTheRangeEdgesAreAccepted(key: BoundedKey) throws {
    for value in [key.range.lowerBound, key.range.upperBound] {
        #expect(try loadProblems(file: "[\(key.section)]\n\(key.name) = \(value)\n").isEmpty)
    }
}

@Test func everyRangedKeyIsInTheRangeTable() {
    let ranged = ConfigKey.catalog.filter { !["server.host", "auth.mode", "auth.jwt_secret", "auth.allowed_origins",
                                             "storage.path", "storage.postgres_url", "cluster.redis_url", "cluster.node_id", "auth.api_keys",
                                             "webhooks.url", "webhooks.secret", "webhooks.events",
                                             "auth.jwt_public_key_file", "auth.jwks_file", "auth.jwks_url", "auth.jwks_ca_file",
                                             "auth.issuer", "auth.audience", "tls.cert_file", "tls.key_file", "tls.min_version",
                                             "diagnostics.echo",
                                             "log.level"].contains($0.path) }
    #expect(Set(ranged.map(\.path)) == Set(boundedKeys.map(\.testDescription)))
}

@Test func jwtModeWithoutSecretIsAProblemPointingAtTheMode() throws {
    let problems = try loadProblems(file: "[auth]\nmode = \"jwt\"\n")
    #expect(problems.map(\.key) == ["auth.jwt_secret"])
    #expect(problems.map(\.source) == ["FILE:2:1"])
    #expect(problems.first?.message.contains("HUDDLE_AUTH_JWT_SECRET") == true)
}

@Test func jwtModeWithSecretFromEnvironmentLoads() throws {
    let config = try loadConfig(
        file: "[auth]\nmode = \"jwt\"\n", environment: ["HUDDLE_AUTH_JWT_SECRET": "0123456789abcdef"])
    #expect(config.auth.mode == .jwt)
    #expect(config.auth.jwtSecret == "0123456789abcdef")
}

@Test func secretShorterThanSixteenBytesIsAProblem() throws {
    let problems = try loadProblems(environment: ["HUDDLE_AUTH_JWT_SECRET": "0123456789abcde"])
    #expect(problems == [
        ConfigProblem(key: "auth.jwt_secret", source: "environment HUDDLE_AUTH_JWT_SECRET",
                      message: "must be at least 16 bytes, not 15")
    ])
}

@Test func jwtModeWithOnlyAJWKSURLLoads() throws {
    let config = try loadConfig(file: "[auth]\nmode = \"jwt\"\njwks_url = \"https://sso.example.com/jwks.json\"\n")
    #expect(config.auth.jwksURL == "https://sso.example.com/jwks.json" && config.auth.jwksRefreshS == 300)
}

@Test func plainHTTPJWKSURLIsAProblem() throws {
    let problems = try loadProblems(file: "[auth]\njwks_url = \"http://sso.example.com/jwks.json\"\n")
    #expect(problems.map(\.message) == ["is not an https:// URL"])
}

@Test func unknownAuthModeIsAProblem() throws {
    let problems = try loadProblems(file: "[auth]\nmode = \"oauth\"\n")
    #expect(problems.map(\.message) == [#"must be one of "dev", "jwt", not "oauth""#])
}

@Test func unknownLogLevelIsAProblem() throws {
    let problems = try loadProblems(environment: ["HUDDLE_LOG_LEVEL": "verbose"])
    #expect(problems.map(\.key) == ["log.level"])
}

@Test(arguments: ["https://app.example.com", "http://localhost:3000", "http://[::1]:8080", "*", "app+x://h"])
func wellFormedOriginIsAccepted(origin: String) throws {
    #expect(try loadConfig(file: "[auth]\nallowed_origins = [\"\(origin)\"]\n").auth.allowedOrigins == [origin])
}

@Test(arguments: ["https://app.example.com/", "app.example.com", "https://", "http://host:99999",
                  "http://host:", "https://a.example/path", "*.example.com", "http://user@host"])
func malformedOriginIsAProblem(origin: String) throws {
    let problems = try loadProblems(file: "[auth]\nallowed_origins = [\"*\", \"\(origin)\"]\n")
    #expect(problems.map(\.key) == ["auth.allowed_origins"])
    #expect(problems.first?.message.contains(origin) == true)
}

@Test func emptyStringForAStringKeyIsAProblem() throws {
    let problems = try loadProblems(file: "[storage]\npath = \"\"\n")
    #expect(problems.map(\.message) == ["must not be empty"])
}

@Test func syntaxErrorReportsFileLineAndColumn() throws {
    let problems = try loadProblems(file: "[server]\nport = 8080\nhost = = \"x\"\n")
    #expect(problems.count == 1)
    #expect(problems.first?.key == "")
    #expect(problems.first?.source.hasPrefix("FILE:3:") == true)
}

@Test func everyProblemIsReportedNotOnlyTheFirst() throws {
    let file = """
        [server]
        port = 70000
        colour = "blue"

        [typing]
        ttl_ms = true

        [bogus]
        """
    let problems = try loadProblems(
        file: file,
        environment: ["HUDDLE_PRESENCE_GRACE_MS": "-1", "HUDDLE_AUTH_MODE": "jwt"],
        overrides: CommandLineOverrides(port: -5))
    #expect(problems.map(\.key) == [
        "bogus", "server.colour", "server.port", "typing.ttl_ms",
        "presence.grace_ms", "server.port", "auth.jwt_secret",
    ])
    #expect(problems.map(\.source) == [
        "FILE:8:1", "FILE:3:1", "FILE:2:1", "FILE:6:1",
        "environment HUDDLE_PRESENCE_GRACE_MS", "--port", "environment HUDDLE_AUTH_MODE",
    ])
}

@Test func errorDescriptionHasOneLinePerProblem() throws {
    do {
        _ = try HuddleConfig.load(
            file: nil, environment: ["HUDDLE_CURSOR_MAX_HZ": "0", "HUDDLE_TYPING_MAX_TARGETS": "0"],
            overrides: CommandLineOverrides())
        Issue.record("bad values loaded")
    } catch {
        #expect(error.description == """
            environment HUDDLE_CURSOR_MAX_HZ: cursor.max_hz: must be between 1 and 1000, not 0
            environment HUDDLE_TYPING_MAX_TARGETS: typing.max_targets: must be between 1 and 1000, not 0
            """)
    }
}

@Test func arrayWithANonStringElementNamesTheElement() throws {
    let problems = try loadProblems(file: "[auth]\nallowed_origins = [\"*\", 3]\n")
    #expect(problems.map(\.message) == ["must be an array of strings, but element 1 is an integer (3)"])
}

/// Found by scripts/fuzz config: toml++ asserts (aborting the process) on a
/// table header whose key starts with a character no key can start with.
@Test(arguments: ["[?server]\nport = 1\n", "  [[.a]]\n", "[\nserver]\n", "x = 1\n[ #]\n", "\u{FEFF}[?server]\n"])
func fuzzTableHeaderWithoutAKeyIsAProblemNotACrash(text: String) throws {
    let problems = try loadProblems(file: text)
    #expect(problems.count == 1)
    #expect(problems.first?.message.hasPrefix("a table header must start with a key") == true)
}

/// Found by scripts/fuzz config: toml++ asserts on a `}` where an array expects a value.
@Test(arguments: ["[plugins.kanban]\nwip_limits = { \"A\" = [ \n}\n", "[cursor]\nmax_hz = [1,}\n"])
func fuzzBraceWhereAnArrayExpectsAValueIsAProblemNotACrash(text: String) throws {
    let problems = try loadProblems(file: text)
    #expect(problems.count == 1)
    #expect(problems.first?.message.hasPrefix("an array needs a value") == true)
}

@Test func headersArraysAndStringsThatLookAlikeStillLoad() throws {
    let text = #"""
        ["server"]
        port = 1
        [ 'log' ]
        level = "info" # [?not a header}
        [plugins.kanban]
        columns = [
          "[?A", 'B}', """
        [?C
        """,
          "D\"}",
        ]
        wip_limits = { "[?A" = 1 }

        """#
    #expect(try loadProblems(file: text).isEmpty)
}
