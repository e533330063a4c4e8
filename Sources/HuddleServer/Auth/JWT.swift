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
    let issuer: String?
    /// `aud`: one string or a list (RFC 7519 §4.1.3), as a list.
    let audience: [String]

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

/// HS256 JSON Web Tokens as `huddle token` signs them, and the claims any
/// verified token carries (``TokenVerifier`` checks signatures).
struct JWT {
    let secret: [UInt8]

    func sign(_ claims: JSONValue) -> String {
        let header = Base64URL.encode(JSONValue.object(["alg": "HS256", "typ": "JWT"]).encoded())
        let payload = Base64URL.encode(claims.encoded())
        let signingInput = header + "." + payload
        return signingInput + "." + Base64URL.encode(HMACSHA256.mac(key: secret, message: Array(signingInput.utf8)))
    }

    static func claims(from payload: JSONValue) throws(TokenRejection) -> TokenClaims {
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
        var audience: [String] = []
        if let raw = payload["aud"], !raw.isNull {
            if let one = raw.stringValue {
                audience = [one]
            } else {
                guard let list = raw.arrayValue?.compactMap(\.stringValue), list.count == raw.arrayValue?.count else { throw .invalid }
                audience = list
            }
        }
        var issuer: String?
        if let raw = payload["iss"], !raw.isNull {
            guard let text = raw.stringValue else { throw .invalid }
            issuer = text
        }
        return TokenClaims(subject: subject, name: name, workspaces: workspaces, role: role,
                           expiresAt: try time("exp"), notBefore: try time("nbf"), issuer: issuer, audience: audience)
    }
}
