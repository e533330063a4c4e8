import HuddleJSON

/// An `auth.refresh` for the server to verify: the core holds no keys.
public struct TokenRefresh {
    public let session: Session
    public let id: JSONValue?
    public let token: String
}
