/// One client request addressed to a plugin.
public struct PluginRequest: Sendable {
    /// The full message type, e.g. `contacts.update`.
    public let type: String
    /// The `data` object of the envelope (empty when the client sent none).
    public let data: [String: JSONValue]
    /// Who sent it.
    public let user: PluginUser
    /// The sending WebSocket session, or `nil` for requests made over HTTP.
    public let session: String?
    /// The workspace the request is made in; the plugin's records are this
    /// workspace's already, so most plugins never read it.
    public let workspace: String

    /// A request as the server hands it over.
    public init(type: String, data: [String: JSONValue], user: PluginUser, session: String?, workspace: String) {
        self.type = type
        self.data = data
        self.user = user
        self.session = session
        self.workspace = workspace
    }

    /// The part of `type` after the plugin name: `update` for `contacts.update`.
    public var action: String {
        guard let dot = type.firstIndex(of: ".") else { return type }
        return String(type[type.index(after: dot)...])
    }
}
