import Foundation

/// The Python helpers under Tests/ (proxy backend, JWKS endpoint): each
/// prints the loopback port it listens on as its first line.
enum PythonHelper {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    /// Starts `Tests/<script>` with `arguments` and answers its port, `nil` when it printed none.
    static func start(_ process: Process, script: String, arguments: [String]) throws -> Int? {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", testsDirectory.appendingPathComponent(script).path] + arguments
        process.standardOutput = output
        try process.run()
        var line: [UInt8] = []
        while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") {
            line.append(byte)
        }
        return Int(String(decoding: line, as: UTF8.self))
    }
}
