/// A WebSocket close status code (RFC 6455 §7.4), plus Huddle's own 4xxx codes.
public struct CloseCode: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let normal = CloseCode(rawValue: 1000)
    public static let goingAway = CloseCode(rawValue: 1001)
    public static let protocolError = CloseCode(rawValue: 1002)
    public static let unsupportedData = CloseCode(rawValue: 1003)
    /// Reported locally when a close frame carried no code; never sent.
    public static let noStatusReceived = CloseCode(rawValue: 1005)
    /// Reported locally when the connection dropped without a close frame; never sent.
    public static let abnormalClosure = CloseCode(rawValue: 1006)
    public static let invalidPayload = CloseCode(rawValue: 1007)
    public static let policyViolation = CloseCode(rawValue: 1008)
    public static let messageTooBig = CloseCode(rawValue: 1009)
    public static let internalError = CloseCode(rawValue: 1011)
    /// Huddle: the session kept sending faster than its token bucket allows.
    public static let rateLimited = CloseCode(rawValue: 4008)
    /// Huddle: the session's send buffer outgrew `limits.max_send_buffer_bytes`.
    public static let slowConsumer = CloseCode(rawValue: 4009)

    /// Whether a received close frame may carry `code`: the defined codes
    /// 1000–1003 and 1007–1011, and the registered/private range 3000–4999.
    /// 1004–1006 and 1015 are reserved and never appear on the wire.
    public static func isValidOnTheWire(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1011, 3000...4999: return true
        default: return false
        }
    }
}
