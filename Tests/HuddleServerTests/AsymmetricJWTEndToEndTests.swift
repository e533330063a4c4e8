import Foundation
import HuddleJSON
import HuddleTestSupport
import Testing
@testable import HuddleServer

/// docs/protocol.md §1, public-key tokens: per algorithm, a key from a JWKS
/// file verifies its own tokens and nothing else.
@Suite struct AsymmetricJWTEndToEndTests {
    static let algorithms = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"]
    static let issuer = "https://idp.test/realms/crm"
    static let audience = "huddle"
    let now = Int(Date().timeIntervalSince1970)

    private func claims(_ extra: [String: JSONValue] = [:]) -> JSONValue {
        var base: [String: JSONValue] = ["sub": "alice", "workspaces": ["acme"], "exp": .int(now + 600),
                                         "iss": .string(Self.issuer), "aud": [.string(Self.audience), "other"]]
        for (key, value) in extra { base[key] = value }
        return .object(base)
    }

    /// A server whose only key is `key`, pinned to `alg` under kid `a`, with issuer and audience set.
    private func server(trusting key: SigningKey, alg: String) throws -> (ServerProcess, TemporaryDirectory) {
        let directory = try TemporaryDirectory(prefix: "huddle-jwks")
        let jwks: JSONValue = ["keys": [try key.jwk(kid: "a", alg: alg)]]
        FileManager.default.createFile(atPath: directory.file("jwks.json"), contents: Data(jwks.encoded()))
        let server = try ServerProcess(environment: [
            "HUDDLE_AUTH_MODE": "jwt", "HUDDLE_AUTH_JWKS_FILE": directory.file("jwks.json"),
            "HUDDLE_AUTH_ISSUER": Self.issuer, "HUDDLE_AUTH_AUDIENCE": Self.audience,
        ])
        return (server, directory)
    }

    @Test(arguments: algorithms)
    func validTokenPassesWithOrWithoutKid(alg: String) throws {
        let key = try SigningKey(.init(for: alg))
        let (server, _) = try server(trusting: key, alg: alg)
        #expect(try server.tokenUpgrade(key.token(claims(), alg: alg, kid: "a")) == (101, "editor"))
        #expect(try server.tokenUpgrade(key.token(claims(["role": "viewer"]), alg: alg, kid: nil)) == (101, "viewer"))
        #expect(try server.tokenUpgrade(key.token(claims(["aud": .string(Self.audience)]), alg: alg, kid: "a"), viaHeader: true).0 == 101)
    }

    @Test(arguments: algorithms)
    func wrongKeyWrongKidOrTamperedPayloadIsInvalid(alg: String) throws {
        let key = try SigningKey(.init(for: alg))
        let other = try SigningKey(.init(for: alg))
        let (server, _) = try server(trusting: key, alg: alg)
        #expect(try server.tokenUpgrade(other.token(claims(), alg: alg, kid: "a")) == (401, "invalid_token"))
        #expect(try server.tokenUpgrade(key.token(claims(), alg: alg, kid: "b")) == (401, "invalid_token"))
        let parts = try key.token(claims(), alg: alg, kid: "a").split(separator: ".")
        let tampered = Base64URL.encode(claims(["role": "admin"]).encoded())
        #expect(try server.tokenUpgrade("\(parts[0]).\(tampered).\(parts[2])") == (401, "invalid_token"))
    }

    /// The confusions: HS256 with the public key as the secret, `none`, and another algorithm of the same key type.
    @Test(arguments: algorithms)
    func anAlgorithmTheKeyIsNotPinnedToIsInvalid(alg: String) throws {
        let key = try SigningKey(.init(for: alg))
        let (server, _) = try server(trusting: key, alg: alg)
        let hmac = JWT(secret: Array(key.publicPEM.utf8)).sign(claims())
        #expect(try server.tokenUpgrade(hmac) == (401, "invalid_token"))
        let header = Base64URL.encode(Array(#"{"alg":"none","kid":"a"}"#.utf8))
        #expect(try server.tokenUpgrade("\(header).\(Base64URL.encode(claims().encoded())).") == (401, "invalid_token"))
        let sibling = ["RS256": "RS384", "RS384": "RS512", "RS512": "PS256", "PS256": "RS256"][alg]
        if let sibling {
            #expect(try server.tokenUpgrade(key.token(claims(), alg: sibling, kid: "a")) == (401, "invalid_token"))
        }
    }

    @Test(arguments: algorithms)
    func expiredOrNotYetValidIsTokenExpired(alg: String) throws {
        let key = try SigningKey(.init(for: alg))
        let (server, _) = try server(trusting: key, alg: alg)
        #expect(try server.tokenUpgrade(key.token(claims(["exp": .int(now - 120)]), alg: alg, kid: "a")) == (401, "token_expired"))
        #expect(try server.tokenUpgrade(key.token(claims(["nbf": .int(now + 600)]), alg: alg, kid: "a")) == (401, "token_expired"))
    }

    @Test(arguments: algorithms)
    func wrongIssuerOrAudienceIsInvalid(alg: String) throws {
        let key = try SigningKey(.init(for: alg))
        let (server, _) = try server(trusting: key, alg: alg)
        for wrong: [String: JSONValue] in [["iss": "https://evil.test"], ["iss": nil], ["aud": "other"], ["aud": nil]] {
            #expect(try server.tokenUpgrade(key.token(claims(wrong), alg: alg, kid: "a")) == (401, "invalid_token"), "\(wrong)")
        }
    }
}
