import COpenSSL

/// The server side of the opening handshake (RFC 6455 §4.2), with Huddle's
/// rules from PROTOCOL.md §1. It sees header values only, so any HTTP layer
/// can drive it.
public enum WebSocketHandshake {
    /// The only subprotocol Huddle speaks.
    public static let subprotocol = "huddle.v1"
    /// The protocol version this server implements.
    public static let version = "13"

    private static let acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
    private static let keyByteCount = 16
    private static let sha1ByteCount = 20
    /// Fetched once: OpenSSL 3 otherwise looks SHA-1 up in its provider on
    /// every handshake.
    private static let sha1 = EVP_MD_fetch(nil, "SHA1", nil)

    /// Loads OpenSSL's SHA-1 now rather than in the first client's
    /// handshake: the provider's setup and the ~2 MB of libcrypto it pages in
    /// are a once-per-process cost, not part of any session's.
    public static func prepare() {
        precondition(sha1 != nil, "OpenSSL has no SHA-1")
    }

    /// `Sec-WebSocket-Accept` for a client's `Sec-WebSocket-Key`:
    /// base64(SHA-1(key + GUID)).
    public static func acceptValue(forKey key: String) -> String {
        let input = Array((key + acceptGUID).utf8)
        var digest = [UInt8](repeating: 0, count: sha1ByteCount)
        var digestLength: UInt32 = 0
        let digested = EVP_Digest(input, input.count, &digest, &digestLength, sha1, nil)
        precondition(digested == 1 && digestLength == sha1ByteCount, "OpenSSL SHA-1 failed")
        // base64 of 20 bytes is 28 characters, plus the NUL EVP_EncodeBlock writes.
        var encoded = [UInt8](repeating: 0, count: 4 * ((sha1ByteCount + 2) / 3) + 1)
        let encodedLength = EVP_EncodeBlock(&encoded, digest, Int32(sha1ByteCount))
        return String(decoding: encoded[..<Int(encodedLength)], as: UTF8.self)
    }

    /// Checks an upgrade request, in PROTOCOL.md §1 order:
    /// 1. not an upgrade (method not GET, no `Upgrade: websocket`, no
    ///    `Connection: upgrade` token) → 426 `upgrade_required`;
    /// 2. `Sec-WebSocket-Version` not 13 → 426 `upgrade_required` with
    ///    `Sec-WebSocket-Version: 13`;
    /// 3. `Sec-WebSocket-Key` missing or not base64 of 16 bytes → 400 `bad_handshake`;
    /// 4. subprotocols offered, none of them `huddle.v1` → 400 `bad_subprotocol`.
    ///
    /// - Parameters:
    ///   - header: the value of a header, looked up case-insensitively
    ///     (nil if absent).
    ///   - headerTokens: the comma-separated elements of every occurrence of a
    ///     header, trimmed, empty ones dropped.
    public static func evaluate(method: String, header: (String) -> String?,
                                headerTokens: (String) -> [String]) -> Result<AcceptedHandshake, HandshakeRejection> {
        let isUpgrade = method == "GET"
            && headerTokens("Upgrade").contains { $0.lowercased() == "websocket" }
            && headerTokens("Connection").contains { $0.lowercased() == "upgrade" }
        guard isUpgrade else {
            return .failure(HandshakeRejection(status: 426, code: "upgrade_required",
                                               headers: [("Upgrade", "websocket")]))
        }
        guard header("Sec-WebSocket-Version").map(trimmed) == version else {
            return .failure(HandshakeRejection(status: 426, code: "upgrade_required",
                                               headers: [("Upgrade", "websocket"), ("Sec-WebSocket-Version", version)]))
        }
        guard let key = header("Sec-WebSocket-Key").map(trimmed), isValidKey(key) else {
            return .failure(HandshakeRejection(status: 400, code: "bad_handshake", headers: []))
        }
        let offered = headerTokens("Sec-WebSocket-Protocol")
        if !offered.isEmpty && !offered.contains(subprotocol) {
            return .failure(HandshakeRejection(status: 400, code: "bad_subprotocol", headers: []))
        }
        return .success(AcceptedHandshake(acceptValue: acceptValue(forKey: key),
                                          subprotocol: offered.isEmpty ? nil : subprotocol))
    }

    /// `evaluate` over a plain header list, as it came off the wire.
    public static func evaluate(method: String, headers: [(String, String)]) -> Result<AcceptedHandshake, HandshakeRejection> {
        func values(_ name: String) -> [String] {
            headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
        }
        return evaluate(method: method,
                        header: { values($0).first },
                        headerTokens: { values($0).flatMap(tokens(of:)) })
    }

    /// The elements of a comma-separated header value, trimmed, empty ones dropped.
    public static func tokens(of value: String) -> [String] {
        value.split(separator: ",").map { trimmed(String($0)) }.filter { !$0.isEmpty }
    }

    private static func trimmed(_ value: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(value.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }

    /// base64 of 16 bytes: 22 alphabet characters and "==". Unused low bits of
    /// the last character are not checked, as lenient decoders ignore them.
    private static func isValidKey(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        let significant = (keyByteCount * 8 + 5) / 6
        guard bytes.count == 4 * ((keyByteCount + 2) / 3) else { return false }
        return bytes[..<significant].allSatisfy(isBase64Alphabet) && bytes[significant...].allSatisfy { $0 == UInt8(ascii: "=") }
    }

    private static func isBase64Alphabet(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }
}
