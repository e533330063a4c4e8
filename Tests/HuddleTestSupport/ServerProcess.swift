import Foundation

/// The real `huddle` executable, started on a free loopback port with its
/// own storage (a SQLite file, or a new PostgreSQL database: `TestStorage`),
/// for end-to-end tests.
public final class ServerProcess {
    public struct StartFailure: Error, CustomStringConvertible {
        public let description: String
    }

    public let port: Int
    /// What `--storage` was: a SQLite path or a PostgreSQL URL.
    public let storage: String
    private let process: Process
    private let output: Pipe
    private let logPath: String
    private let directory: TemporaryDirectory

    /// Starts `huddle serve` and waits for its ready line.
    /// `environment` adds `HUDDLE_*` settings; `storage` reuses another
    /// server's storage (restart tests); `port` 0 takes any free one, another
    /// comes back on a port a load balancer already names (cluster restarts);
    /// `fileLimit` starts it with that many descriptors at most (soft and hard, as `ulimit -n`).
    public init(environment: [String: String] = [:], arguments: [String] = [], storage: String? = nil,
                port: Int = 0, fileLimit: Int? = nil, readyTimeout: Double = 30) throws {
        directory = try TemporaryDirectory(prefix: "huddle-e2e")
        self.storage = try storage ?? TestStorage.freshArgument(file: "huddle.sqlite", in: directory)
        logPath = directory.file("stderr.log")
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process = Process()
        let serve = ["serve", "--host", "127.0.0.1", "--port", String(port), "--storage", self.storage] + arguments
        if let fileLimit {
            // The shell lowers both limits, so the server cannot raise its own back.
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(fileLimit) && exec \"$0\" \"$@\"", Self.executable.path] + serve
        } else {
            process.executableURL = Self.executable
            process.arguments = serve
        }
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("HUDDLE_") }
        env["HUDDLE_LOG_LEVEL"] = env["HUDDLE_TEST_LOG_LEVEL"] ?? "warning"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        output = Pipe()
        process.standardOutput = output
        // A file, not a pipe: a chatty server must never block on a full pipe.
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        let (readyPort, readyScheme) = try Self.readReadyLine(from: output.fileHandleForReading, timeout: readyTimeout, process: process)
        self.port = readyPort
        scheme = readyScheme
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// The built `huddle` next to the test bundle (`swift build` puts both in one folder).
    public static var executable: URL {
        if let explicit = ProcessInfo.processInfo.environment["HUDDLE_BIN"] { return URL(fileURLWithPath: explicit) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if directory.lastPathComponent == "MacOS" || directory.lastPathComponent == "Contents" {
            directory = directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        }
        return directory.appendingPathComponent("huddle")
    }

    /// SIGTERM, then waits; returns the exit status.
    @discardableResult
    public func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGKILL: a crash, no shutdown work at all.
    public func kill() {
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    public var pid: Int32 { process.processIdentifier }

    /// False once the server has exited (stopped, killed or crashed).
    public var isRunning: Bool { process.isRunning }

    /// What the server logged to stderr so far (for failure messages).
    public func standardError() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// The ready line's URL scheme, `http` or `https`.
    public let scheme: String

    private static func readReadyLine(from handle: FileHandle, timeout: Double, process: Process) throws -> (Int, String) {
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = ""
        // http://, or https:// with [tls].
        let prefix = "huddle listening on http"
        while Date() < deadline {
            var pollFD = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&pollFD, 1, 200) > 0 else {
                if !process.isRunning { throw StartFailure(description: "huddle exited with status \(process.terminationStatus) before it was ready") }
                continue
            }
            let chunk = handle.availableData
            if chunk.isEmpty { throw StartFailure(description: "huddle closed stdout before it was ready") }
            buffer += String(decoding: chunk, as: UTF8.self)
            if let line = buffer.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }),
               let colon = line.lastIndex(of: ":"), let port = Int(line[line.index(after: colon)...]) {
                return (port, line.contains("https://") ? "https" : "http")
            }
        }
        throw StartFailure(description: "huddle printed no ready line within \(timeout) s")
    }
}
