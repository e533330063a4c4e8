/// Error codes of PROTOCOL.md §2 that the core emits.
public enum ErrorCode {
    public static let badJSON = "bad_json"
    public static let badEnvelope = "bad_envelope"
    public static let validationFailed = "validation_failed"
    public static let tooLarge = "too_large"
    public static let rateLimited = "rate_limited"
}

/// WebSocket close codes the core asks for.
public enum CoreCloseCode {
    /// After a client's `leave`.
    public static let normal: UInt16 = 1000
    /// A rate-limit rejection streak lasted `abuseStreakMs`.
    public static let abuse: UInt16 = 4008
    /// The token ran out and was not refreshed.
    public static let tokenExpired: UInt16 = 4001
    /// A backend removed the user (`POST …/disconnect`).
    public static let removed: UInt16 = 4003
}

/// The protocol version announced in `welcome`.
let protocolVersion = 1
