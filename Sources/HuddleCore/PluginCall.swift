import HuddleJSON

/// A request whose `type` belongs to no core feature, envelope already checked.
public struct PluginCall {
    public let session: Session
    public let type: String
    /// The client's request id, with its JSON type (string or number); `nil` if absent.
    public let id: JSONValue?
    /// The request's `data` object (`[:]` when absent or null).
    public let data: [String: JSONValue]

    public init(session: Session, type: String, id: JSONValue?, data: [String: JSONValue]) {
        self.session = session
        self.type = type
        self.id = id
        self.data = data
    }
}
