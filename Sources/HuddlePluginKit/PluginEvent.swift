/// A durable event to broadcast, e.g. `contacts.created`.
public struct PluginEvent: Equatable, Sendable {
    /// The full event type, `<plugin>.<past-tense action>`.
    public let type: String
    /// The event's `data` object.
    public let data: JSONValue

    /// An event of `type` carrying `data`.
    public init(type: String, data: JSONValue) {
        self.type = type
        self.data = data
    }
}
