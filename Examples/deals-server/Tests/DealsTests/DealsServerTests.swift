import Foundation
import HuddlePluginTesting
import Testing

/// `deals.toml`, next to this package's Package.swift.
private let configPath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("deals.toml").path

/// Runs the built `deals-server` (next to the test bundle) with `arguments`;
/// returns its exit status and what it printed on stdout and stderr.
private func dealsServer(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("deals-server")
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("HUDDLE_") }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, printed)
}

@Test func dealsConfigurationIsValid() throws {
    let result = try dealsServer(["check-config", "--config", configPath])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output == "configuration ok\n")
}

@Test func badDealsOptionIsReportedAtItsLine() throws {
    let directory = try TemporaryDirectory(prefix: "deals-config")
    let path = directory.file("deals.toml")
    try "[plugins.deals]\nstages = [\"Won\", \"Won\"]\n".write(toFile: path, atomically: true, encoding: .utf8)

    let result = try dealsServer(["check-config", "--config", path])
    #expect(result.status == 2)
    #expect(result.output.contains("\(path):2:1: plugins.deals.stages: must not name a stage twice"))
}
