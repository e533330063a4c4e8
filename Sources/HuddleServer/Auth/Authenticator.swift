import Foundation
import HuddleConfig
import HuddleCore
import HuddleHTTP
import HuddlePluginKit

/// Decides who a request acts as: dev-mode query identities or signed tokens,
/// with PROTOCOL.md §1's answers for everything else.
struct Authenticator {
    static let userPattern = CharacterSetRule(allowed: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.@-", length: 1...64)
    static let maxNameLength = 64
    /// Dev-mode `/api` requests without `?user=` act as this user.
    static let defaultAPIUser = "api"

    let mode: AuthMode
    /// `nil` in dev mode.
    let verifier: TokenVerifier?
    let apiKeys: [[UInt8]]
    /// Who a backend's API key acts as (docs/protocol.md §12).
    static let serverIdentity = Identity(userID: "server", name: "server", role: Role.admin.rawValue)

    /// Reads the configured key files; a file that holds no usable key is an error.
    init(config: HuddleConfig) throws(AuthSetupError) {
        mode = config.auth.mode
        apiKeys = config.auth.apiKeys.map { Array($0.utf8) }
        guard mode == .jwt else {
            verifier = nil
            return
        }
        let auth = config.auth
        var keys: [VerificationKey] = auth.jwtSecret.map { [VerificationKey(secret: Array($0.utf8))] } ?? []
        if let path = auth.jwtPublicKeyFile {
            guard let key = VerificationKey(pem: try Self.read(path, key: "auth.jwt_public_key_file")) else {
                throw AuthSetupError(key: "auth.jwt_public_key_file", path: path,
                                     problem: "holds no RSA (2048 bits or more), EC P-256/P-384 or Ed25519 public key in PEM")
            }
            keys.append(key)
        }
        if let path = auth.jwksFile {
            let document = Array(try Self.read(path, key: "auth.jwks_file").utf8)
            let usable: [VerificationKey]
            do {
                usable = try VerificationKey.keys(fromJWKS: document).keys
            } catch {
                throw AuthSetupError(key: "auth.jwks_file", path: path, problem: error.description)
            }
            guard !usable.isEmpty else {
                throw AuthSetupError(key: "auth.jwks_file", path: path,
                                     problem: "holds no RSA (2048 bits or more), EC P-256/P-384 or Ed25519 signing key")
            }
            keys += usable
        }
        verifier = TokenVerifier(keys: KeyRing(configured: keys), issuer: auth.issuer, audience: auth.audience)
    }

    private static func read(_ path: String, key: String) throws(AuthSetupError) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw AuthSetupError(key: key, path: path, problem: "cannot be read")
        }
        return text
    }

    /// `Authorization: apikey <key>`: the server identity for a configured
    /// key (compared in constant time), a refusal for any other, `nil`
    /// without that header.
    func apiKeyIdentity(_ request: HTTPRequest) -> Result<Identity?, Rejection> {
        guard let header = request.headers["Authorization"] else { return .success(nil) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "apikey" else { return .success(nil) }
        let given = Array(parts[1].trimmingCharacters(in: .whitespaces).utf8)
        let known = apiKeys.reduce(false) { found, key in HMACSHA256.constantTimeEqual(key, given) || found }
        return known ? .success(Self.serverIdentity) : .failure(.invalidAPIKey)
    }

    /// The server API's endpoints: an API key, never a user's token. In dev
    /// mode with no key configured they are open, as the rest of `/api` is.
    func serverAPIIdentity(_ request: HTTPRequest) -> Result<Identity, Rejection> {
        switch apiKeyIdentity(request) {
        case .failure(let rejection): return .failure(rejection)
        case .success(let identity?): return .success(identity)
        case .success(nil): return mode == .dev && apiKeys.isEmpty ? .success(Self.serverIdentity) : .failure(.missingAPIKey)
        }
    }

    /// Step 1 of the upgrade checks: the dev-mode `user`/`name` query, validated
    /// before anything else; `nil` in jwt mode (the token decides later).
    func devIdentity(_ request: HTTPRequest, fallbackUser: () -> String) -> Result<Identity?, Rejection> {
        guard mode == .dev else { return .success(nil) }
        var user = fallbackUser()
        if let given = request.queryValue("user") {
            guard Self.userPattern.matches(given) else { return .failure(.badUser) }
            user = given
        }
        var name = user
        if let given = request.queryValue("name") {
            guard (1...Self.maxNameLength).contains(given.unicodeScalars.count) else { return .failure(.badUser) }
            name = given
        }
        return .success(Identity(userID: user, name: name, role: Role.editor.rawValue))
    }

    /// Where a request may carry its token. `/api/*` takes the header only:
    /// a token in a URL ends up in proxy and access logs (docs/protocol.md §9).
    enum TokenSource {
        case headerOrQuery
        case headerOnly
    }

    /// Step 5: the token of a jwt-mode request, from `Authorization: Bearer` (which wins) or,
    /// for a WebSocket upgrade, `?token=`.
    func tokenIdentity(_ request: HTTPRequest, workspace: String, nowSeconds: Double,
                       from source: TokenSource) -> Result<Identity, Rejection> {
        let queryToken = source == .headerOrQuery ? request.queryValue("token") : nil
        guard let token = Self.bearerToken(request) ?? queryToken, !token.isEmpty else {
            return .failure(.missingToken)
        }
        return identity(of: token, workspace: workspace, nowSeconds: nowSeconds)
    }

    /// A verified token's identity in `workspace`, its `exp` included (an `auth.refresh` checks the same way).
    func identity(of token: String, workspace: String, nowSeconds: Double) -> Result<Identity, Rejection> {
        guard let verifier else { return .failure(.invalidToken) }
        let claims: TokenClaims
        do {
            claims = try verifier.verify(token, nowSeconds: nowSeconds)
        } catch .expired {
            return .failure(.tokenExpired)
        } catch {
            return .failure(.invalidToken)
        }
        guard claims.allows(workspace: workspace) else { return .failure(.workspaceForbidden) }
        return .success(Identity(userID: claims.subject, name: claims.name ?? claims.subject, role: claims.role.rawValue,
                                 tokenExpiresAtUnixMs: claims.expiresAt.map { Int64($0 * 1000) }))
    }

    private static func bearerToken(_ request: HTTPRequest) -> String? {
        guard let header = request.headers["Authorization"] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}

/// A string rule: allowed ASCII characters and a length range.
struct CharacterSetRule {
    let allowed: Set<UInt8>
    let length: ClosedRange<Int>

    init(allowed: String, length: ClosedRange<Int>) {
        self.allowed = Set(allowed.utf8)
        self.length = length
    }

    func matches(_ text: String) -> Bool {
        length.contains(text.utf8.count) && text.utf8.allSatisfy(allowed.contains)
    }
}
