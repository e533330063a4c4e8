import COpenSSL
import HuddleJSON

/// Keys from a JSON Web Key Set (RFC 7517): RSA, EC P-256/P-384 and Ed25519
/// public keys for signing. Symmetric (`oct`) keys are refused: a JWKS is
/// public, and an HMAC key in it would let anyone sign.
extension VerificationKey {
    struct JWKSProblem: Error, CustomStringConvertible {
        let description: String
    }

    /// The signing keys of a JWKS document Huddle can use, and the `kid`s
    /// (or positions) of those it cannot: another curve, a short RSA key, a
    /// malformed one, an `alg` that does not fit. An identity provider may
    /// publish such keys beside its usable ones, so they are skipped, not
    /// fatal. Keys for encryption (`use: enc`) and `oct` keys are ignored.
    static func keys(fromJWKS bytes: [UInt8]) throws(JWKSProblem) -> (keys: [VerificationKey], skipped: [String]) {
        guard let document = try? JSONParser.parse(bytes), let list = document["keys"]?.arrayValue else {
            throw JWKSProblem(description: "is not a JWKS document (a JSON object with a \"keys\" array)")
        }
        var keys: [VerificationKey] = []
        var skipped: [String] = []
        for (index, jwk) in list.enumerated() {
            if let use = jwk["use"]?.stringValue, use != "sig" { continue }
            guard let kty = jwk["kty"]?.stringValue, kty != "oct" else { continue }
            guard let key = VerificationKey(jwk: jwk, kty: kty) else {
                skipped.append(jwk["kid"]?.stringValue ?? "key \(index + 1)")
                continue
            }
            keys.append(key)
        }
        return (keys, skipped)
    }

    private convenience init?(jwk: JSONValue, kty: String) {
        var alg: JWTAlgorithm?
        if let name = jwk["alg"]?.stringValue {
            guard let known = JWTAlgorithm(rawValue: name) else { return nil }
            alg = known
        }
        func field(_ name: String) -> [UInt8]? { jwk[name]?.stringValue.flatMap { Base64URL.decode(Substring($0)) } }
        let key: OpaquePointer?
        switch (kty, jwk["crv"]?.stringValue) {
        case ("RSA", _):
            guard let n = field("n"), let e = field("e") else { return nil }
            key = huddle_rsa_public_key(n, Int32(n.count), e, Int32(e.count))
        case ("EC", let curve?) where curve == "P-256" || curve == "P-384":
            let size = curve == "P-256" ? 32 : 48
            guard let x = field("x"), let y = field("y"), x.count == size, y.count == size else { return nil }
            let point = [0x04] + x + y
            key = huddle_ec_public_key(curve, point, Int32(point.count))
        case ("OKP", "Ed25519"):
            guard let x = field("x") else { return nil }
            key = huddle_ed25519_public_key(x, Int32(x.count))
        default:
            return nil
        }
        guard let key else { return nil }
        self.init(publicKey: key, kid: jwk["kid"]?.stringValue, alg: alg)
    }
}
