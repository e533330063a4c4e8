import Testing

@testable import HuddleConfig

@Test(arguments: [
    ("*", "", true), ("*", "anything", true),
    ("crm-*", "crm-", true), ("crm-*", "crm-sales", true), ("crm-*", "crm", false), ("crm-*", "xcrm-a", false),
    ("team-?", "team-1", true), ("team-?", "team-", false), ("team-?", "team-12", false),
    ("a*b*c", "aXXbYYbZc", true), ("a*b*c", "aXXbYYc", true), ("a*b*c", "abcX", false),
    ("*-prod", "eu-west-prod", true), ("*-prod", "eu-west-prod2", false),
    ("exact", "exact", true), ("exact", "Exact", false), ("**?", "x", true), ("**?", "", false),
])
func globMatchesWholeWorkspaceIds(match: String, workspace: String, expected: Bool) {
    #expect(WorkspaceRule(match: match, plugins: []).matches(workspace) == expected)
}

@Test func noWorkspaceBlocksMeansAllEnabledPlugins() {
    #expect(HuddleConfig().pluginNames(forWorkspace: "anything") == nil)
}

@Test func firstMatchingBlockWinsAndNoMatchRunsNoPlugins() throws {
    let config = try loadConfig(file: """
        [[workspaces]]
        match = "crm-*"
        plugins = ["contacts", "notes"]

        [[workspaces]]
        match = "crm-?"
        plugins = ["kanban"]

        [[workspaces]]
        match = "board-??"
        plugins = []
        """)
    #expect(config.workspaces == [
        WorkspaceRule(match: "crm-*", plugins: ["contacts", "notes"]),
        WorkspaceRule(match: "crm-?", plugins: ["kanban"]),
        WorkspaceRule(match: "board-??", plugins: []),
    ])
    #expect(config.pluginNames(forWorkspace: "crm-1") == ["contacts", "notes"])
    #expect(config.pluginNames(forWorkspace: "board-42") == [])
    #expect(config.pluginNames(forWorkspace: "elsewhere") == [])
}

@Test func workspaceBlockProblemsNameTheBlockAndKey() throws {
    let problems = try loadProblems(file: """
        [[workspaces]]
        match = "a*"
        plugins = ["notes"]

        [[workspaces]]
        match = 5
        plugin = ["notes"]
        """)
    #expect(problems.map(\.key) == ["workspaces[1].match", "workspaces[1].plugin", "workspaces[1].plugins"])
    #expect(problems.map(\.source) == ["FILE:6:1", "FILE:7:1", "FILE:5:1"])
}
