import Foundation
import HuddleJSON
import HuddleTestSupport
import Testing
@testable import HuddleServer

/// No secret, token or key reaches the log (at `trace`), `/metrics` or
/// `check-config`'s output, whatever path it came in by.
@Suite struct SecretsStaySecretEndToEndTests {
    static let secret = "jwt-secret-SENTINEL-0123456789"
    static let apiKey = "api-key-SENTINEL-0123456789"
    let now = Int(Date().timeIntervalSince1970)

    private func token(_ user: String, expiresIn: Int = 600, secret: String = Self.secret) -> String {
        JWT(secret: Array(secret.utf8)).sign(["sub": .string(user), "workspaces": ["acme"], "exp": .int(now + expiresIn)])
    }

    @Test func aFullRunLogsNoSecretTokenOrKey() throws {
        let server = try ServerProcess(environment: [
            "HUDDLE_AUTH_MODE": "jwt", "HUDDLE_AUTH_JWT_SECRET": Self.secret, "HUDDLE_AUTH_API_KEYS": Self.apiKey,
            "HUDDLE_LOG_LEVEL": "trace",
        ])
        let inQuery = token("alice")
        let inHeader = token("bob")
        let refreshed = token("alice", expiresIn: 1200)
        let forged = token("alice", secret: "forged-secret-0123456789")
        let wrongKey = "wrong-api-key-SENTINEL-0123"

        let alice = try WebSocketTestClient.connect(port: server.port, path: "/ws/acme?token=\(inQuery)")
        _ = try alice.waitFor(type: "welcome")
        let bob = try WebSocketTestClient.connect(port: server.port, path: "/ws/acme", headers: [("Authorization", "Bearer \(inHeader)")])
        _ = try bob.waitFor(type: "welcome")
        try alice.send(json: ["type": "auth.refresh", "id": "r1", "data": ["token": .string(refreshed)]])
        _ = try alice.waitFor(type: "ack")
        try alice.send(json: ["type": "auth.refresh", "id": "r2", "data": ["token": .string(forged)]])
        _ = try alice.waitFor(type: "error")
        #expect(try server.tokenUpgrade(forged).0 == 401)
        _ = try server.get("/api/workspaces/acme/presence?token=\(inQuery)")
        _ = try server.get("/api/workspaces/acme/presence", headers: [("Authorization", "Bearer \(inHeader)")])
        _ = try server.post("/api/workspaces/acme/publish", json: ["type": "app.ping"], headers: [("Authorization", "apikey \(Self.apiKey)")])
        _ = try server.post("/api/workspaces/acme/publish", json: ["type": "app.ping"], headers: [("Authorization", "apikey \(wrongKey)")])
        let metrics = String(decoding: try HTTPTestClient.request(port: server.port, method: "GET", path: "/metrics").body, as: UTF8.self)
        try alice.close()
        try bob.close()
        #expect(server.stop() == 0)

        let log = server.standardError()
        #expect(log.contains("huddle listening") && log.contains("shutting down"), "the log covers the whole run")
        for secret in [Self.secret, Self.apiKey, inQuery, inHeader, refreshed, forged, wrongKey] {
            #expect(!log.contains(secret), "the log holds \(secret.prefix(12))…")
            #expect(!metrics.contains(secret), "/metrics holds \(secret.prefix(12))…")
            // A token's signature alone is a secret-derived value too.
            if let signature = secret.split(separator: ".").last, secret.contains(".") {
                #expect(!log.contains(signature))
            }
        }
    }

    @Test func aTLSRunWithReloadsLogsNoPrivateKey() throws {
        let directory = try TemporaryDirectory(prefix: "huddle-tls-secret")
        let pair = try OpenSSLCommand.selfSignedCertificate(in: directory)
        let server = try ServerProcess(environment: [
            "HUDDLE_TLS_CERT_FILE": pair.certificate, "HUDDLE_TLS_KEY_FILE": pair.key, "HUDDLE_LOG_LEVEL": "trace",
        ])
        let client = try TLSClientProcess(port: server.port, trusting: [pair.certificate])
        #expect(try client.send("open alice /ws/acme?user=alice").hasPrefix("alice welcome"))
        let keyText = try String(contentsOfFile: pair.key, encoding: .utf8)
        kill(server.pid, SIGHUP)
        try waitUntil("the reload is logged") { server.standardError().contains("tls certificate and key reloaded") }
        try "-----BEGIN PRIVATE KEY-----\nbroken\n".write(toFile: pair.key, atomically: true, encoding: .utf8)
        kill(server.pid, SIGHUP)
        try waitUntil("the refused reload is logged") { server.standardError().contains("tls reload refused") }
        #expect(server.stop() == 0)
        let log = server.standardError()
        // Every line of the key's base64 body, since a log could carry any part of it.
        for line in keyText.split(separator: "\n") where !line.hasPrefix("-----") {
            #expect(!log.contains(line))
        }
        #expect(!log.contains("broken"))
    }

    @Test func checkConfigNamesTheProblemNeverTheSecret() throws {
        let short = "short-SENTINEL"
        let (status, printed) = try HuddleCommandRun.run(["check-config"], environment: [
            "HUDDLE_AUTH_JWT_SECRET": short, "HUDDLE_AUTH_API_KEYS": "\(Self.apiKey),\(short)",
        ])
        #expect(status != 0)
        #expect(printed.contains("auth.jwt_secret") && printed.contains("auth.api_keys"))
        #expect(!printed.contains("SENTINEL"))
    }
}
