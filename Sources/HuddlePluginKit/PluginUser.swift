/// Who sent a request.
public struct PluginUser: Equatable, Sendable {
    /// The user id (a token's `sub`, or dev mode's `user`).
    public let id: String
    /// The display name.
    public let name: String
    /// What the user may do.
    public let role: Role

    /// A user as the server's authentication established it.
    public init(id: String, name: String, role: Role) {
        self.id = id
        self.name = name
        self.role = role
    }
}
