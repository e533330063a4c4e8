import Foundation
import HuddleTestSupport
import Testing

@Test func checkConfigListsCoreAndPluginProblemsInOneRun() throws {
    let directory = try TemporaryDirectory(prefix: "huddle-check-config")
    let path = directory.file("huddle.toml")
    try "[server]\nport = 70000\n\n[plugins.kanban]\ncolumns = []\n".write(toFile: path, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = ServerProcess.executable
    process.arguments = ["check-config", "--config", path]
    process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("HUDDLE_") }
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = Pipe()
    try process.run()
    let printed = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()

    #expect(process.terminationStatus == 2)
    #expect(printed == """
        huddle: configuration error
        \(path):2:1: server.port: must be between 0 and 65535, not 70000
        \(path):5:1: plugins.kanban.columns: must name at least one column

        """)
}
