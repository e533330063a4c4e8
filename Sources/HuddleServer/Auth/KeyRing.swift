/// The keys tokens are checked with: those configured (the HS256 secret, a
/// PEM public key, a JWKS file) and those last fetched from `auth.jwks_url`.
/// Owned by the loop thread.
final class KeyRing {
    private let configured: [VerificationKey]
    private(set) var fetched: [VerificationKey] = []
    /// Called when a token names a `kid` no key has: the JWKS may have rotated.
    var onUnknownKid: () -> Void = {}

    init(configured: [VerificationKey]) {
        self.configured = configured
    }

    func replaceFetched(_ keys: [VerificationKey]) {
        fetched = keys
    }

    /// The keys that may check a token with this header: with a `kid`, only
    /// the keys of that id; without one, every key; in both cases only keys
    /// pinned to `algorithm`.
    func candidates(kid: String?, algorithm: JWTAlgorithm) -> [VerificationKey] {
        let all = configured + fetched
        guard let kid else { return all.filter { $0.algorithms.contains(algorithm) } }
        let named = all.filter { $0.kid == kid }
        if named.isEmpty { onUnknownKid() }
        return named.filter { $0.algorithms.contains(algorithm) }
    }
}
