import Foundation
import HuddleJSON
import HuddleTestSupport
import Testing
@testable import HuddleServer

/// docs/protocol.md §1: keys from `auth.jwks_url` over HTTPS and rotation,
/// and the PEM key file.
@Suite struct JWKSEndToEndTests {
    let now = Int(Date().timeIntervalSince1970)

    private var claims: JSONValue { ["sub": "alice", "workspaces": ["acme"], "exp": .int(now + 600)] }

    private func jwks(_ keys: [(SigningKey, String)]) throws -> [UInt8] {
        JSONValue.object(["keys": .array(try keys.map { try $0.0.jwk(kid: $0.1, alg: "ES256") })]).encoded()
    }

    @Test func rotatedKeysAreFetchedOnAnUnknownKidAtMostOnceAMinute() throws {
        let old = try SigningKey(.p256)
        let new = try SigningKey(.p256)
        let endpoint = try JWKSServerProcess(jwks: try jwks([(old, "old")]))
        let server = try ServerProcess(environment: [
            "HUDDLE_AUTH_MODE": "jwt", "HUDDLE_AUTH_JWKS_URL": endpoint.url, "HUDDLE_AUTH_JWKS_CA_FILE": endpoint.certificate,
        ])
        let oldToken = try old.token(claims, alg: "ES256", kid: "old")
        try waitUntil("the first fetch's key verifies") { try server.tokenUpgrade(oldToken).0 == 101 }
        #expect(endpoint.fetchCount() == 1)

        try endpoint.publish(try jwks([(new, "new")]))
        let newToken = try new.token(claims, alg: "ES256", kid: "new")
        // The token naming the unknown kid is refused and starts the fetch that lets its retry in.
        #expect(try server.tokenUpgrade(newToken) == (401, "invalid_token"))
        try waitUntil("the rotated key verifies") { try server.tokenUpgrade(newToken).0 == 101 }
        #expect(endpoint.fetchCount() == 2)

        // The removed kid is unknown now; within the minute it fetches nothing more.
        for _ in 0..<3 { #expect(try server.tokenUpgrade(oldToken) == (401, "invalid_token")) }
        #expect(try server.tokenUpgrade(newToken).0 == 101)
        #expect(endpoint.fetchCount() == 2)
    }

    @Test func aJWKSServerTheCAFileDoesNotVouchForIsNeverTrusted() throws {
        let key = try SigningKey(.p256)
        let endpoint = try JWKSServerProcess(jwks: try jwks([(key, "k")]))
        let server = try ServerProcess(environment: ["HUDDLE_AUTH_MODE": "jwt", "HUDDLE_AUTH_JWKS_URL": endpoint.url])
        try waitUntil("the fetch failed and said so") { server.standardError().contains("auth.jwks_url fetch failed") }
        #expect(try server.tokenUpgrade(key.token(claims, alg: "ES256", kid: "k")) == (401, "invalid_token"))
        #expect(endpoint.fetchCount() == 0)
    }

    @Test func aPEMPublicKeyFileVerifiesItsAlgorithmsOnly() throws {
        let rsa = try SigningKey(.rsa)
        let server = try ServerProcess(environment: ["HUDDLE_AUTH_MODE": "jwt", "HUDDLE_AUTH_JWT_PUBLIC_KEY_FILE": rsa.publicPath])
        #expect(try server.tokenUpgrade(rsa.token(claims, alg: "RS256", kid: nil)).0 == 101)
        #expect(try server.tokenUpgrade(rsa.token(claims, alg: "PS256", kid: nil)).0 == 101)
        let confused = JWT(secret: Array(rsa.publicPEM.utf8)).sign(claims)
        #expect(try server.tokenUpgrade(confused) == (401, "invalid_token"))
    }

    /// A provider's JWKS may hold keys Huddle cannot use (here a P-521 key); the others still work.
    @Test func aJWKSFileKeepsItsUsableKeysAndSkipsTheRest() throws {
        let key = try SigningKey(.p256)
        let directory = try TemporaryDirectory(prefix: "huddle-jwks-mixed")
        let unusable: JSONValue = ["kty": "EC", "crv": "P-521", "kid": "p521", "x": "AAAA", "y": "AAAA"]
        let document: JSONValue = ["keys": [unusable, try key.jwk(kid: "k", alg: "ES256")]]
        FileManager.default.createFile(atPath: directory.file("jwks.json"), contents: Data(document.encoded()))
        let server = try ServerProcess(environment: ["HUDDLE_AUTH_MODE": "jwt", "HUDDLE_AUTH_JWKS_FILE": directory.file("jwks.json")])
        #expect(try server.tokenUpgrade(key.token(claims, alg: "ES256", kid: "k")).0 == 101)
        #expect(try server.tokenUpgrade(key.token(claims, alg: "ES256", kid: "p521")) == (401, "invalid_token"))
    }

    @Test func aKeyFileWithNoUsableKeyStopsTheStart() throws {
        let directory = try TemporaryDirectory(prefix: "huddle-badkey")
        let path = directory.file("key.pem")
        FileManager.default.createFile(atPath: path, contents: Data("not a key".utf8))
        #expect(throws: ServerProcess.StartFailure.self) {
            _ = try ServerProcess(environment: ["HUDDLE_AUTH_MODE": "jwt", "HUDDLE_AUTH_JWT_PUBLIC_KEY_FILE": path])
        }
    }
}
