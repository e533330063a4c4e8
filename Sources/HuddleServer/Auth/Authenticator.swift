import Foundation
import HuddleConfig
import HuddleCore
import HuddleHTTP
import HuddlePluginKit

/// Decides who a request acts as: dev-mode query identities or HS256 tokens,
/// with PROTOCOL.md §1's answers for everything else.
struct Authenticator {
    static let userPattern = CharacterSetRule(allowed: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.@-", length: 1...64)
    static let maxNameLength = 64
    /// Dev-mode `/api` requests without `?user=` act as this user.
    static let defaultAPIUser = "api"

    let mode: AuthMode
    let jwt: JWT?
    let apiKeys: [[UInt8]]
    /// Who a backend's API key acts as (docs/protocol.md §12).
    static let serverIdentity = Identity(userID: "server", name: "server", role: Role.admin.rawValue)

    init(config: HuddleConfig) {
        mode = config.auth.mode
        jwt = config.auth.jwtSecret.map { JWT(secret: Array($0.utf8)) }
        apiKeys = config.auth.apiKeys.map { Array($0.utf8) }
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

    /// Step 5: the token of a jwt-mode request, from `Authorization: Bearer` (which wins) or `?token=`.
    func tokenIdentity(_ request: HTTPRequest, workspace: String, nowSeconds: Double) -> Result<Identity, Rejection> {
        guard let jwt else { return .failure(.invalidToken) }
        guard let token = Self.bearerToken(request) ?? request.queryValue("token"), !token.isEmpty else {
            return .failure(.missingToken)
        }
        let claims: TokenClaims
        do {
            claims = try jwt.verify(token, nowSeconds: nowSeconds)
        } catch .expired {
            return .failure(.tokenExpired)
        } catch {
            return .failure(.invalidToken)
        }
        guard claims.allows(workspace: workspace) else { return .failure(.workspaceForbidden) }
        return .success(Identity(userID: claims.subject, name: claims.name ?? claims.subject, role: claims.role.rawValue))
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
