import Foundation

/// One run of a `huddle` command that exits by itself (`check-config`,
/// `token`, `bench`): its status and what it wrote.
public enum HuddleCommandRun {
    /// Runs `huddle arguments…` with only `environment`'s `HUDDLE_*` settings;
    /// answers what it wrote to stderr.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, standardError: String) {
        let errors = Pipe()
        let process = try start(arguments, environment: environment) {
            $0.standardError = errors
            // Not a pipe nobody reads: more than a pipe's 64 KB would block the command.
            $0.standardOutput = FileHandle.nullDevice
        }
        let printed = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, printed)
    }

    /// Runs `huddle arguments…` like `run`, answering what it wrote to stdout
    /// (`bench --json`); its stderr goes to the test's.
    public static func output(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, standardOutput: String) {
        let output = Pipe()
        let process = try start(arguments, environment: environment) { $0.standardOutput = output }
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, printed)
    }

    private static func start(_ arguments: [String], environment: [String: String],
                              wiring: (Process) -> Void) throws -> Process {
        let process = Process()
        process.executableURL = ServerProcess.executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("HUDDLE_") }
        for (key, value) in environment { env[key] = value }
        process.environment = env
        wiring(process)
        try process.run()
        return process
    }
}
