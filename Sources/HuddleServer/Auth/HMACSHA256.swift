import COpenSSL

/// HMAC-SHA256 through OpenSSL, and a comparison whose time does not depend
/// on where two MACs differ.
enum HMACSHA256 {
    static func mac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        key.withUnsafeBufferPointer { k in
            message.withUnsafeBufferPointer { m in
                _ = HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), m.baseAddress, m.count, &out, &length)
            }
        }
        return Array(out.prefix(Int(length)))
    }

    /// `X-Huddle-Signature: sha256=<hex HMAC-SHA256 of body>`, as proxy
    /// calls and webhooks sign what they POST.
    static func signatureHeader(key: [UInt8], body: [UInt8]) -> (String, String) {
        let hex = mac(key: key, message: body).map { byte in byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }
        return ("X-Huddle-Signature", "sha256=" + hex.joined())
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in CRYPTO_memcmp(pa.baseAddress, pb.baseAddress, a.count) == 0 } }
    }
}
