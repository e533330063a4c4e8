import HuddleJSON
import HuddlePluginKit

/// The claims Huddle reads from a token (PROTOCOL.md §1).
struct TokenClaims: Equatable {
    let subject: String
    let name: String?
    /// `nil` when the token carries no `workspaces` claim: no workspace is allowed.
    let workspaces: [String]?
    let role: Role
    let expiresAt: Double?
    let notBefore: Double?

    func allows(workspace: String) -> Bool {
        guard let workspaces else { return false }
        return workspaces.contains("*") || workspaces.contains(workspace)
    }
}

/// Why a token was refused, as the HTTP answer names it.
enum TokenRejection: Error, Equatable {
    case invalid
    case expired

    var code: String { self == .invalid ? "invalid_token" : "token_expired" }
}

/// HS256 JSON Web Tokens: the only algorithm Huddle accepts, so `alg: none`
/// or an RS256 header with an HMAC key confusion cannot get through.
struct JWT {
    /// Clock skew tolerated on `exp` and `nbf`.
    static let leewaySeconds: Double = 30

    let secret: [UInt8]

    func sign(_ claims: JSONValue) -> String {
        let header = Base64URL.encode(JSONValue.object(["alg": "HS256", "typ": "JWT"]).encoded())
        let payload = Base64URL.encode(claims.encoded())
        let signingInput = header + "." + payload
        return signingInput + "." + Base64URL.encode(HMACSHA256.mac(key: secret, message: Array(signingInput.utf8)))
    }

    /// Verifies signature, algorithm, claim types and time window, in that order.
    func verify(_ token: String, nowSeconds: Double) throws(TokenRejection) -> TokenClaims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
              let headerBytes = Base64URL.decode(parts[0]), let payloadBytes = Base64URL.decode(parts[1]),
              let signature = Base64URL.decode(parts[2]),
              let header = try? JSONParser.parse(headerBytes), header["alg"]?.stringValue == "HS256"
        else { throw .invalid }
        let signingInput = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        guard HMACSHA256.constantTimeEqual(HMACSHA256.mac(key: secret, message: signingInput), signature) else {
            throw .invalid
        }
        guard let payload = try? JSONParser.parse(payloadBytes) else { throw .invalid }
        let claims = try Self.claims(from: payload)
        if let exp = claims.expiresAt, nowSeconds >= exp + Self.leewaySeconds { throw .expired }
        if let nbf = claims.notBefore, nowSeconds + Self.leewaySeconds < nbf { throw .expired }
        return claims
    }

    private static func claims(from payload: JSONValue) throws(TokenRejection) -> TokenClaims {
        guard case .object = payload, let subject = payload["sub"]?.stringValue, !subject.isEmpty else { throw .invalid }
        var name: String?
        if let raw = payload["name"], !raw.isNull {
            guard let text = raw.stringValue else { throw .invalid }
            name = text
        }
        var workspaces: [String]?
        if let raw = payload["workspaces"], !raw.isNull {
            guard let list = raw.arrayValue else { throw .invalid }
            var names: [String] = []
            for entry in list {
                guard let text = entry.stringValue else { throw .invalid }
                names.append(text)
            }
            workspaces = names
        }
        var role = Role.editor
        if let raw = payload["role"], !raw.isNull {
            guard let text = raw.stringValue, let parsed = Role(rawValue: text) else { throw .invalid }
            role = parsed
        }
        func time(_ key: String) throws(TokenRejection) -> Double? {
            guard let raw = payload[key], !raw.isNull else { return nil }
            guard let seconds = raw.doubleValue else { throw .invalid }
            return seconds
        }
        return TokenClaims(subject: subject, name: name, workspaces: workspaces, role: role,
                           expiresAt: try time("exp"), notBefore: try time("nbf"))
    }
}
