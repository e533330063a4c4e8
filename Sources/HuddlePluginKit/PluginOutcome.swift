/// What a handled request produced.
public enum PluginOutcome: Equatable, Sendable {
    /// A read: `result` is the ack's `result`; nothing is stored or broadcast.
    case read(result: JSONValue)
    /// A write: the event is appended to the workspace's history, broadcast to
    /// every session, and its `data` is also the ack's `result`.
    case write(PluginEvent)
}
