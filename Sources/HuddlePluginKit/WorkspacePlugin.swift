@_exported import HuddleJSON

/// A domain plugin: validates and performs the messages of one domain
/// (contacts, notes, a kanban board, …) for the workspaces it is enabled in.
///
/// A plugin never sees sockets, threads or SQL. The server calls `handle`
/// on its storage thread, one request at a time, inside a transaction: if
/// `handle` throws, nothing the request wrote is kept.
///
/// Adding a domain is a new target depending on `HuddlePluginKit`, one line
/// in the server's plugin registry, and a `[plugins.<name>]` table in the
/// config.
public protocol WorkspacePlugin: AnyObject {
    /// The plugin's name: the prefix of its message types (`contacts` handles
    /// `contacts.create`, …) and the key of its `[plugins.<name>]` table.
    static var name: String { get }

    /// Every message type the plugin handles, e.g. `["contacts.create", "contacts.get"]`.
    static var messageTypes: [String] { get }

    /// Builds the plugin from its `[plugins.<name>]` table. Read every option
    /// through `options`, then call `options.finish()` so an unknown key is
    /// reported; a bad option throws a `PluginConfigError` naming the key.
    init(options: PluginOptions) throws(PluginConfigError)

    /// Validates and performs one request against `context.records`.
    ///
    /// Throw `PluginError` for anything the client did wrong; any other error
    /// becomes an `internal` error (store failures become `unavailable`).
    func handle(_ request: PluginRequest, context: PluginContext) throws -> PluginOutcome
}

/// What a handled request produced.
public enum PluginOutcome: Equatable, Sendable {
    /// A read: `result` is the ack's `result`; nothing is stored or broadcast.
    case read(result: JSONValue)
    /// A write: the event is appended to the workspace's history, broadcast to
    /// every session, and its `data` is also the ack's `result`.
    case write(PluginEvent)
}

/// A durable event to broadcast, e.g. `contacts.created`.
public struct PluginEvent: Equatable, Sendable {
    /// The full event type, `<plugin>.<past-tense action>`.
    public let type: String
    /// The event's `data` object.
    public let data: JSONValue

    public init(type: String, data: JSONValue) {
        self.type = type
        self.data = data
    }
}
