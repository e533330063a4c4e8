import Foundation

/// The Python client of Tests/tls-client, over real TLS on loopback:
/// `send` one command, read its one-line answer.
public final class TLSClientProcess {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    /// A client of the server on `port` that trusts `certificates`.
    public init(port: Int, trusting certificates: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", PythonHelper.testsDirectory.appendingPathComponent("tls-client/client.py").path,
                             String(port)] + certificates
        process.standardInput = input
        process.standardOutput = output
        try process.run()
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }

    /// Sends one command line and answers the line the client printed.
    public func send(_ command: String) throws -> String {
        input.fileHandleForWriting.write(Data((command + "\n").utf8))
        var line: [UInt8] = []
        while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") {
            line.append(byte)
        }
        return String(decoding: line, as: UTF8.self)
    }
}
