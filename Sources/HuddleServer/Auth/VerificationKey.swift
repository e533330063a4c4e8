import COpenSSL

/// One key a token's signature can be checked with, and the algorithms it
/// may check: its own type pins them, so an RSA public key is never used as
/// an HMAC secret and an HS256 secret never checks an RS256 token.
final class VerificationKey: @unchecked Sendable {
    enum Material {
        case secret([UInt8])
        /// An `EVP_PKEY *` this key owns.
        case publicKey(OpaquePointer)
    }

    enum Kind {
        case rsa, p256, p384, ed25519

        /// What a key of this kind verifies when nothing narrows it further.
        var algorithms: Set<JWTAlgorithm> {
            switch self {
            case .rsa: return [.rs256, .rs384, .rs512, .ps256]
            case .p256: return [.es256]
            case .p384: return [.es384]
            case .ed25519: return [.edDSA]
            }
        }
    }

    /// RSA keys shorter than this are refused (RFC 7518 §3.3).
    static let minimumRSABits: Int32 = 2048

    let kid: String?
    let algorithms: Set<JWTAlgorithm>
    private let material: Material

    init(secret: [UInt8], kid: String? = nil) {
        self.kid = kid
        algorithms = [.hs256]
        material = .secret(secret)
    }

    /// Takes ownership of `key`; `nil` (and `key` freed) when its type is
    /// not one Huddle verifies or `alg` does not fit it.
    init?(publicKey key: OpaquePointer, kid: String?, alg: JWTAlgorithm?) {
        let kind: Kind
        switch huddle_key_kind(key) {
        case 1 where EVP_PKEY_get_bits(key) >= Self.minimumRSABits: kind = .rsa
        case 2: kind = .p256
        case 3: kind = .p384
        case 4: kind = .ed25519
        default:
            EVP_PKEY_free(key)
            return nil
        }
        if let alg, !kind.algorithms.contains(alg) {
            EVP_PKEY_free(key)
            return nil
        }
        self.kid = kid
        algorithms = alg.map { [$0] } ?? kind.algorithms
        material = .publicKey(key)
    }

    /// A PEM public key (`-----BEGIN PUBLIC KEY-----`), or `nil`.
    convenience init?(pem: String) {
        let text = Array(pem.utf8)
        let key = text.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { huddle_pem_public_key($0.baseAddress, Int32($0.count)) }
        }
        guard let key else { return nil }
        self.init(publicKey: key, kid: nil, alg: nil)
    }

    deinit {
        if case .publicKey(let key) = material { EVP_PKEY_free(key) }
    }

    /// Whether `signature` is this key's over `signingInput` with `algorithm`.
    func verify(_ signingInput: [UInt8], signature: [UInt8], algorithm: JWTAlgorithm) -> Bool {
        guard algorithms.contains(algorithm) else { return false }
        switch material {
        case .secret(let secret):
            return HMACSHA256.constantTimeEqual(HMACSHA256.mac(key: secret, message: signingInput), signature)
        case .publicKey(let key):
            guard let half = algorithm.ecdsaHalfLength else {
                return Self.verify(key, algorithm, signingInput, signature)
            }
            guard signature.count == 2 * half else { return false }
            var der: UnsafeMutablePointer<UInt8>?
            let length = huddle_ecdsa_raw_to_der(signature, Int32(half), &der)
            guard length > 0, let der else { return false }
            defer { CRYPTO_free(der, #fileID, #line) }
            return Self.verify(key, algorithm, signingInput, Array(UnsafeBufferPointer(start: der, count: Int(length))))
        }
    }

    private static func verify(_ key: OpaquePointer, _ algorithm: JWTAlgorithm, _ message: [UInt8], _ signature: [UInt8]) -> Bool {
        huddle_verify(key, algorithm.digest, algorithm == .ps256 ? 1 : 0, message, message.count, signature, signature.count) == 1
    }
}
