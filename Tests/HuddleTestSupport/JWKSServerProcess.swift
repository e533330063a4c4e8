import Foundation

/// The HTTPS JWKS endpoint of Tests/jwks-server, on a free loopback port,
/// with a self-signed certificate made for it; stopped with the test.
public final class JWKSServerProcess {
    public let port: Int
    /// The certificate a client must trust (it is its own CA).
    public let certificate: String
    /// The file served as the JWKS; rewrite it to rotate keys.
    public let jwksFile: String
    private let process = Process()
    private let directory: TemporaryDirectory

    public struct DidNotStart: Error {}

    public init(jwks: [UInt8]) throws {
        directory = try TemporaryDirectory(prefix: "huddle-jwks-server")
        (certificate, _) = try OpenSSLCommand.selfSignedCertificate(in: directory)
        jwksFile = directory.file("jwks.json")
        try Data(jwks).write(to: URL(fileURLWithPath: jwksFile))
        guard let port = try PythonHelper.start(process, script: "jwks-server/serve.py",
                                                arguments: [certificate, directory.file("server.key"), jwksFile]) else {
            throw DidNotStart()
        }
        self.port = port
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }

    public var url: String { "https://127.0.0.1:\(port)/jwks.json" }

    /// Serves `jwks` from the next request on.
    public func publish(_ jwks: [UInt8]) throws {
        try Data(jwks).write(to: URL(fileURLWithPath: jwksFile), options: .atomic)
    }

    /// How many times the JWKS was served.
    public func fetchCount() -> Int {
        let text = try? String(contentsOfFile: jwksFile + ".fetches", encoding: .utf8)
        return text.flatMap { Int($0) } ?? 0
    }
}
