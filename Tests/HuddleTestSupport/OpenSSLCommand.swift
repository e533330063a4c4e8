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
    /// now for a day, with its P-256 key; `commonName` tells one from another.
    public static func selfSignedCertificate(in directory: TemporaryDirectory, name: String = "server",
                                             commonName: String = "localhost") throws -> (certificate: String, key: String) {
        let certificate = directory.file("\(name).crt")
        let key = directory.file("\(name).key")
        try run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                 "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=\(commonName)",
                 "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
        return (certificate, key)
    }

    /// The SHA-256 fingerprint of the PEM certificate at `path`, lowercase hex
    /// without colons (as Tests/tls-client prints a peer's).
    public static func fingerprint(ofCertificate path: String) throws -> String {
        let printed = String(decoding: try run(["x509", "-noout", "-fingerprint", "-sha256", "-in", path]), as: UTF8.self)
        guard let equals = printed.firstIndex(of: "=") else { throw Failed(description: "openssl x509 printed no fingerprint: \(printed)") }
        return printed[printed.index(after: equals)...].filter(\.isHexDigit).lowercased()
    }

    /// A self-signed certificate whose validity ended in 2020 (`openssl req`
    /// takes no past dates; `openssl ca` does), with its key.
    public static func expiredCertificate(in directory: TemporaryDirectory) throws -> (certificate: String, key: String) {
        let database = directory.file("index.txt")
        FileManager.default.createFile(atPath: database, contents: nil)
        try "01\n".write(toFile: directory.file("serial"), atomically: true, encoding: .utf8)
        let config = directory.file("ca.cnf")
        try """
            [ca]
            default_ca = expired
            [expired]
            database = \(database)
            new_certs_dir = \(directory.path)
            serial = \(directory.file("serial"))
            default_md = sha256
            policy = anything
            [anything]
            commonName = supplied
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let key = directory.file("expired.key")
        let request = directory.file("expired.csr")
        let certificate = directory.file("expired.crt")
        try run(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
                 "-out", request, "-subj", "/CN=localhost"])
        try run(["ca", "-batch", "-config", config, "-selfsign", "-keyfile", key, "-in", request, "-out", certificate,
                 "-startdate", "20200101000000Z", "-enddate", "20200102000000Z"])
        return (certificate, key)
    }
}
