/// Who a session belongs to, as authentication established it.
public struct Identity: Sendable, Equatable {
    public let userID: String
    /// Display name.
    public let name: String
    /// `viewer`, `editor` or `admin`.
    public let role: String

    public init(userID: String, name: String, role: String) {
        self.userID = userID
        self.name = name
        self.role = role
    }
}
