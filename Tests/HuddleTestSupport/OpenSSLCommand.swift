import Foundation

/// The `openssl` command line tool, which makes the keys and certificates of
/// the security tests at test time and signs their tokens: the server's own
/// OpenSSL code is checked against an independent signer, never itself.
public enum OpenSSLCommand {
    public struct Failed: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `openssl arguments…` and answers its standard output.
    @discardableResult
    public static func run(_ arguments: [String]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read before waiting: an output larger than the pipe's buffer would block the tool.
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(description: "openssl \(arguments.joined(separator: " ")): \(String(decoding: message, as: UTF8.self))")
        }
        return Array(bytes)
    }

    /// A self-signed certificate for `127.0.0.1` and `localhost`, valid from
    /// now for `days` (negative: already expired), with its P-256 key.
    public static func selfSignedCertificate(in directory: TemporaryDirectory, name: String = "server",
                                             days: Int = 1) throws -> (certificate: String, key: String) {
        let certificate = directory.file("\(name).crt")
        let key = directory.file("\(name).key")
        try run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                 "-keyout", key, "-out", certificate, "-days", String(days), "-subj", "/CN=localhost",
                 "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
        return (certificate, key)
    }
}
