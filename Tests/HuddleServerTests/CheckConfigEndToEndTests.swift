import Foundation
import HuddleTestSupport
import Testing

@Test func checkConfigListsCoreAndPluginProblemsInOneRun() throws {
    let directory = try TemporaryDirectory(prefix: "huddle-check-config")
    let path = directory.file("huddle.toml")
    try "[server]\nport = 70000\n\n[plugins.kanban]\ncolumns = []\n".write(toFile: path, atomically: true, encoding: .utf8)
    let (status, printed) = try HuddleCommandRun.run(["check-config", "--config", path])

    #expect(status == 2)
    #expect(printed == """
        huddle: configuration error
        \(path):2:1: server.port: must be between 0 and 65535, not 70000
        \(path):5:1: plugins.kanban.columns: must name at least one column

        """)
}
