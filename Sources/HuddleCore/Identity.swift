/// Who a session belongs to, as authentication established it.
public struct Identity: Sendable, Equatable {
    public let userID: String
    /// Display name.
    public let name: String
    /// `viewer`, `editor` or `admin`.
    public let role: String
    /// The token's `exp` (Unix ms); `nil` without a token or without `exp`.
    /// A connected session is warned before it and closed at it.
    public let tokenExpiresAtUnixMs: Int64?

    public init(userID: String, name: String, role: String, tokenExpiresAtUnixMs: Int64? = nil) {
        self.userID = userID
        self.name = name
        self.role = role
        self.tokenExpiresAtUnixMs = tokenExpiresAtUnixMs
    }
}
