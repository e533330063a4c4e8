import Foundation

/// One run of a `huddle` command that exits by itself (`check-config`,
/// `token`): its status and what it wrote to stderr.
public enum HuddleCommandRun {
    /// Runs `huddle arguments…` with only `environment`'s `HUDDLE_*` settings.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, standardError: String) {
        let process = Process()
        process.executableURL = ServerProcess.executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("HUDDLE_") }
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let printed = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, printed)
    }
}
