import COpenSSL

/// The JWS algorithms Huddle verifies (RFC 7518 §3). `none` is not one of
/// them, so an unsigned token has no algorithm to pass with.
enum JWTAlgorithm: String, CaseIterable, Sendable {
    case hs256 = "HS256"
    case rs256 = "RS256"
    case rs384 = "RS384"
    case rs512 = "RS512"
    case ps256 = "PS256"
    case es256 = "ES256"
    case es384 = "ES384"
    case edDSA = "EdDSA"

    /// The message digest; `nil` for EdDSA, which hashes internally.
    var digest: OpaquePointer? {
        switch self {
        case .hs256, .rs256, .ps256, .es256: return EVP_sha256()
        case .rs384, .es384: return EVP_sha384()
        case .rs512: return EVP_sha512()
        case .edDSA: return nil
        }
    }

    /// ECDSA signatures are r || s of this many bytes each (RFC 7518 §3.4).
    var ecdsaHalfLength: Int? {
        switch self {
        case .es256: return 32
        case .es384: return 48
        default: return nil
        }
    }
}
