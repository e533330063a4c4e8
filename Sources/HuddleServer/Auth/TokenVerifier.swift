import HuddleJSON

/// Checks a token (PROTOCOL.md §1): header, key, signature, claims, issuer
/// and audience, then the time window, in that order.
struct TokenVerifier {
    /// Clock skew tolerated on `exp` and `nbf`.
    static let leewaySeconds: Double = 30

    let keys: KeyRing
    /// `auth.issuer`: when set, `iss` must equal it.
    let issuer: String?
    /// `auth.audience`: when set, `aud` must contain it.
    let audience: String?

    func verify(_ token: String, nowSeconds: Double) throws(TokenRejection) -> TokenClaims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
              let headerBytes = Base64URL.decode(parts[0]), let payloadBytes = Base64URL.decode(parts[1]),
              let signature = Base64URL.decode(parts[2]),
              let header = try? JSONParser.parse(headerBytes),
              let algorithm = header["alg"]?.stringValue.flatMap(JWTAlgorithm.init(rawValue:))
        else { throw .invalid }
        var kid: String?
        if let raw = header["kid"], !raw.isNull {
            guard let text = raw.stringValue else { throw .invalid }
            kid = text
        }
        let signingInput = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        let signed = keys.candidates(kid: kid, algorithm: algorithm).contains {
            $0.verify(signingInput, signature: signature, algorithm: algorithm)
        }
        guard signed, let payload = try? JSONParser.parse(payloadBytes) else { throw .invalid }
        let claims = try JWT.claims(from: payload)
        if let issuer, claims.issuer != issuer { throw .invalid }
        if let audience, !claims.audience.contains(audience) { throw .invalid }
        if let exp = claims.expiresAt, nowSeconds >= exp + Self.leewaySeconds { throw .expired }
        if let nbf = claims.notBefore, nowSeconds + Self.leewaySeconds < nbf { throw .expired }
        return claims
    }
}
