@_exported import HuddleJSON

/// A domain plugin: validates and performs the messages of one domain
/// (contacts, notes, a kanban board, …) for the workspaces it is enabled in.
///
/// A plugin never sees sockets, threads or SQL. The server calls `handle`
/// on its storage thread, one request at a time, inside a transaction: if
/// `handle` throws, nothing the request wrote is kept.
///
/// A plugin lives in its own target depending on `HuddlePluginKit` only.
/// The server runs it once the plugin type is in its plugin list (the
/// built-in registry, or `HuddleCommand.main(plugins:)` in a team's own
/// package) and a `[plugins.<name>]` table enables it; Plugins/README.md
/// walks through both.
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

    /// The records `handle` will read with `get` for `request`, as far as
    /// the request tells (a `move` names its task). A hint, never a
    /// promise: a store that pays a round trip per read (PostgreSQL) fetches
    /// those of a whole batch at once, on the storage thread, before running
    /// it; `handle` may read others, and a named record may not exist. The
    /// default names none.
    func reads(for request: PluginRequest) -> [RecordKey]

    /// The `details` problem codes the plugin reports besides
    /// ``FieldProblem/Problem/standard`` (kanban: `unknown_column`,
    /// `wip_limit`). Clients may see them, so docs/protocol.md lists every
    /// registered plugin's codes, and the test kit refuses an undeclared one.
    static var problemCodes: [FieldProblem.Problem] { get }
}

extension WorkspacePlugin {
    /// No codes of its own: the standard ones only.
    public static var problemCodes: [FieldProblem.Problem] { [] }

    public func reads(for request: PluginRequest) -> [RecordKey] { [] }
}
