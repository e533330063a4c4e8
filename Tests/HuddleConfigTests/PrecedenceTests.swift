import Testing

@testable import HuddleConfig

@Test func portFlagBeatsEnvironmentBeatsFileBeatsDefault() throws {
    let file = "[server]\nport = 1001\n"
    let environment = ["HUDDLE_SERVER_PORT": "1002"]
    let flag = CommandLineOverrides(port: 1003)
    #expect(try loadConfig().server.port == 8080)
    #expect(try loadConfig(file: file).server.port == 1001)
    #expect(try loadConfig(file: file, environment: environment).server.port == 1002)
    #expect(try loadConfig(file: file, environment: environment, overrides: flag).server.port == 1003)
}

@Test func storageFlagBeatsEnvironmentBeatsFileBeatsDefault() throws {
    let file = "[storage]\npath = \"file.sqlite\"\n"
    let environment = ["HUDDLE_STORAGE_PATH": "env.sqlite"]
    let flag = CommandLineOverrides(storage: "flag.sqlite")
    #expect(try loadConfig().storage.path == "data/huddle.sqlite")
    #expect(try loadConfig(file: file).storage.path == "file.sqlite")
    #expect(try loadConfig(file: file, environment: environment).storage.path == "env.sqlite")
    #expect(try loadConfig(file: file, environment: environment, overrides: flag).storage.path == "flag.sqlite")
}

@Test func hostFlagBeatsEnvironmentBeatsFile() throws {
    let file = "[server]\nhost = \"10.0.0.1\"\n"
    let environment = ["HUDDLE_SERVER_HOST": "10.0.0.2"]
    #expect(try loadConfig(file: file).server.host == "10.0.0.1")
    #expect(try loadConfig(file: file, environment: environment).server.host == "10.0.0.2")
    #expect(try loadConfig(file: file, environment: environment, overrides: CommandLineOverrides(host: "::1"))
        .server.host == "::1")
}

@Test func booleanFromEnvironmentBeatsFile() throws {
    let file = "[diagnostics]\necho = true\n"
    #expect(try loadConfig(file: file).diagnostics.echo == true)
    #expect(try loadConfig(file: file, environment: ["HUDDLE_DIAGNOSTICS_ECHO": "false"]).diagnostics.echo == false)
}

@Test func arrayFromEnvironmentReplacesFileArray() throws {
    let file = "[auth]\nallowed_origins = [\"https://a.example\"]\n"
    let environment = ["HUDDLE_AUTH_ALLOWED_ORIGINS": #"["https://b.example", "http://localhost:3000"]"#]
    #expect(try loadConfig(file: file).auth.allowedOrigins == ["https://a.example"])
    #expect(try loadConfig(file: file, environment: environment).auth.allowedOrigins
        == ["https://b.example", "http://localhost:3000"])
}

@Test func choiceFromEnvironmentBeatsFile() throws {
    let file = "[log]\nlevel = \"debug\"\n[auth]\nmode = \"jwt\"\njwt_secret = \"0123456789abcdef\"\n"
    let environment = ["HUDDLE_LOG_LEVEL": "warning", "HUDDLE_AUTH_MODE": "dev"]
    let fromFile = try loadConfig(file: file)
    #expect(fromFile.log.level == "debug")
    #expect(fromFile.auth.mode == .jwt)
    let fromEnvironment = try loadConfig(file: file, environment: environment)
    #expect(fromEnvironment.log.level == "warning")
    #expect(fromEnvironment.auth.mode == .dev)
}

@Test func pluginOptionFromEnvironmentBeatsFileAndKeepsTheOthers() throws {
    let file = "[plugins.notes]\nmax_length = 100\nextra = \"kept\"\n"
    let config = try loadConfig(file: file, environment: ["HUDDLE_PLUGINS_NOTES_MAX_LENGTH": "200"])
    #expect(config.pluginTables["notes"] == ["max_length": 200, "extra": "kept"])
}

@Test func badPortFlagIsAProblemNamingTheFlag() throws {
    let problems = try loadProblems(overrides: CommandLineOverrides(port: 70000))
    #expect(problems == [
        ConfigProblem(key: "server.port", source: "--port", message: "must be between 0 and 65535, not 70000")
    ])
}
