import Contacts
import HuddleConfig
import HuddlePluginKit
import HuddleServer
import HuddleTestSupport
import Testing

/// Every problem `huddle` reports for a config file `contents` and
/// `environment`, plugin tables included, as printed lines; the file's path
/// reads `FILE`.
private func problems(file contents: String, environment: [String: String] = [:],
                      plugins: [WorkspacePlugin.Type] = HuddleServer.builtInPlugins) throws -> [String] {
    let directory = try TemporaryDirectory(prefix: "huddle-plugin-config")
    let path = directory.file("huddle.toml")
    try contents.write(toFile: path, atomically: true, encoding: .utf8)
    do {
        _ = try HuddleConfig.load(file: path, environment: environment, overrides: CommandLineOverrides(),
                                  validate: { HuddleServer.pluginProblems($0, plugins: plugins) })
        return []
    } catch {
        return error.problems.map { $0.description.replacingOccurrences(of: path, with: "FILE") }
    }
}

@Test func pluginOptionProblemNamesItsFileAndLine() throws {
    #expect(try problems(file: "[plugins.kanban]\ncolumns = []\n")
        == ["FILE:2:1: plugins.kanban.columns: must name at least one column"])
}

@Test func unknownPluginOptionNamesItsLine() throws {
    #expect(try problems(file: "[plugins.notes]\n\nmax_lenght = 5\n")
        == ["FILE:3:1: plugins.notes.max_lenght: is not an option of plugin notes"])
}

@Test func pluginOptionFromTheEnvironmentNamesTheVariable() throws {
    #expect(try problems(file: "", environment: ["HUDDLE_PLUGINS_NOTES_MAX_LENGTH": "0"])
        == ["environment HUDDLE_PLUGINS_NOTES_MAX_LENGTH: plugins.notes.max_length: must be between 1 and 1000000, not 0"])
}

@Test func unregisteredPluginNamesItsTable() throws {
    #expect(try problems(file: "[plugins.notes]\n[plugins.deals]\n")
        == ["FILE:2:1: plugins.deals: no plugin named deals is registered (known: contacts, kanban, notes), and the table has no kind (records, proxy)"])
}

@Test func brokenPluginTableGetsNoFollowOnWorkspaceProblem() throws {
    #expect(try problems(file: """
        [plugins.kanban]
        columns = "Todo"

        [[workspaces]]
        match = "*"
        plugins = ["kanban"]
        """) == [#"FILE:2:1: plugins.kanban.columns: must be an array of strings, not string"#])
}

@Test func workspaceNamingAPluginWithoutATableNamesTheBlockLine() throws {
    #expect(try problems(file: """
        [plugins.notes]

        [[workspaces]]
        match = "*"
        plugins = ["notes", "kanban"]
        """) == ["FILE:5:1: workspaces[0].plugins: plugin kanban is not enabled (add a [plugins.kanban] table)"])
}

@Test func coreAndPluginProblemsAreReportedInOneRun() throws {
    #expect(try problems(file: """
        [server]
        port = 70000

        [plugins.kanban]
        columns = ["Todo", "Todo"]
        """) == [
            "FILE:2:1: server.port: must be between 0 and 65535, not 70000",
            "FILE:5:1: plugins.kanban.columns: must not name a column twice",
        ])
}

@Test func twoPluginsOfOneNameAreAProblem() throws {
    #expect(try problems(file: "", plugins: HuddleServer.builtInPlugins + [ContactsPlugin.self])
        == ["defaults: plugins.contacts: two registered plugins are named contacts; rename one"])
}

@Test func unregisteredPluginFromTheEnvironmentNamesTheVariable() throws {
    #expect(try problems(file: "", environment: ["HUDDLE_PLUGINS_DEALS_STAGES": #"["Open"]"#])
        == ["environment HUDDLE_PLUGINS_DEALS_STAGES: plugins.deals: no plugin named deals is registered (known: contacts, kanban, notes), and the table has no kind (records, proxy)"])
}
