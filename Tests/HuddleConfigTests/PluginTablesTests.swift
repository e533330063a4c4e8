import HuddleJSON
import Testing

@testable import HuddleConfig

@Test func pluginTablesBecomeJSONObjects() throws {
    let config = try loadConfig(file: """
        [plugins.sample]
        count = 3
        ratio = 0.5
        on = true
        name = "x"
        list = [1, "two", [3]]
        nested = { a = { b = 1 } }
        day = 2024-05-01
        at = 2024-05-01T10:20:30Z

        [plugins.empty]
        """)
    #expect(config.pluginsSectionPresent)
    #expect(config.pluginTables["empty"] == [:])
    let sample = try #require(config.pluginTables["sample"])
    #expect(sample["count"] == .int(3))
    #expect(sample["ratio"] == .double(0.5))
    #expect(sample["on"] == .bool(true))
    #expect(sample["name"] == .string("x"))
    #expect(sample["list"] == [1, "two", [3]])
    #expect(sample["nested"] == ["a": ["b": 1]])
    #expect(sample["day"] == .string("2024-05-01"))
    #expect(sample["at"]?.stringValue?.hasPrefix("2024-05-01T10:20:30") == true)
}

@Test func emptyPluginsSectionEnablesNoPlugins() throws {
    let config = try loadConfig(file: "[plugins]\n")
    #expect(config.pluginsSectionPresent)
    #expect(config.pluginTables.isEmpty)
}

@Test func pluginEntryThatIsNotATableIsAProblem() throws {
    let problems = try loadProblems(file: "[plugins]\nnotes = 5\n")
    #expect(problems.map(\.key) == ["plugins.notes"])
    #expect(problems.map(\.source) == ["FILE:2:1"])
}

@Test func pluginTablesOptionsAndWorkspaceBlocksRememberWhereTheyWereSet() throws {
    let file = try TemporaryConfigFile("""
        [plugins.sample]

        count = 3

        [[workspaces]]
        match = "*"
        plugins = ["sample"]
        """)
    defer { file.remove() }
    let config = try HuddleConfig.load(file: file.path, environment: ["HUDDLE_PLUGINS_OTHER_SIZE": "2"],
                                       overrides: CommandLineOverrides())
    #expect(config.sources == [
        "plugins.sample": "\(file.path):1:1",
        "plugins.sample.count": "\(file.path):3:1",
        "workspaces[0].plugins": "\(file.path):7:1",
        "plugins.other": "environment HUDDLE_PLUGINS_OTHER_SIZE",
        "plugins.other.size": "environment HUDDLE_PLUGINS_OTHER_SIZE",
    ])
    #expect(config.source(of: "plugins.sample.missing") == "\(file.path):1:1", "an option not set points at its table")
    #expect(config.source(of: "plugins.absent.key") == "defaults")
}
