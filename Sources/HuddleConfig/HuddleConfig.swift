import HuddleJSON

/// Huddle's configuration (PROTOCOL.md §10): every key with its compiled-in
/// default, so `HuddleConfig()` is a complete, valid configuration.
///
/// Build one with ``load(file:environment:overrides:)``, which layers a TOML
/// file, `HUDDLE_*` environment variables and command-line flags over the
/// defaults and reports every problem it finds at once.
public struct HuddleConfig: Equatable, Sendable {
    /// `[server]`
    public var server = Server()
    /// `[auth]`
    public var auth = Auth()
    /// `[tls]`
    public var tls = TLS()
    /// `[storage]`
    public var storage = Storage()
    /// `[presence]`
    public var presence = Presence()
    /// `[typing]`
    public var typing = Typing()
    /// `[cursor]`
    public var cursor = Cursor()
    /// `[limits]`
    public var limits = Limits()
    /// `[cluster]`
    public var cluster = Cluster()
    /// `[webhooks]`
    public var webhooks = Webhooks()
    /// `[diagnostics]`
    public var diagnostics = Diagnostics()
    /// `[log]`
    public var log = Log()

    /// The `[plugins.<name>]` tables, as given, by plugin name. Only the
    /// server's plugin registry knows which names and options are valid, so
    /// it validates them. Environment options (`HUDDLE_PLUGINS_<PLUGIN>_<KEY>`)
    /// are merged in, and create the plugin's table when the file has none.
    public var pluginTables: [String: [String: JSONValue]] = [:]

    /// Whether the config file has a `[plugins]` section (any
    /// `[plugins.<name>]` table, or an empty `[plugins]`). When it does, the
    /// enabled plugins are exactly the names in ``pluginTables``; when it does
    /// not, every registered plugin is enabled, with its options from
    /// ``pluginTables`` if the environment gave any.
    public var pluginsSectionPresent = false

    /// The `[[workspaces]]` blocks in file order; empty means every enabled
    /// plugin runs in every workspace.
    public var workspaces: [WorkspaceRule] = []

    /// Where the keys that are checked only after loading were set, by key:
    /// `plugins.<name>` (its table), `plugins.<name>.<option>` and
    /// `workspaces[<i>].plugins`. Values are sources as in ``ConfigProblem``
    /// (`huddle.toml:7:1`, `environment HUDDLE_PLUGINS_DEALS_STAGES`), so the
    /// plugin registry's problems point where the core keys' do.
    public var sources: [String: String] = [:]

    /// Where `key` (a plugin option, a key inside one such as
    /// `plugins.deals.fields.title.type`, a plugin table or a workspace
    /// block's key) was set: its own source, else the nearest enclosing
    /// key's, else `defaults`.
    public func source(of key: String) -> String {
        var candidate = Substring(key)
        while true {
            if let own = sources[String(candidate)] { return own }
            guard let dot = candidate.lastIndex(of: ".") else { return ConfigLoader.defaultsSource }
            candidate = candidate[..<dot]
        }
    }

    /// The keys directly inside `key` (a plugin option that is a table, such
    /// as `plugins.deals.fields`) in the order the file lists them; keys set
    /// elsewhere (the environment) follow by name. TOML tables keep no
    /// order of their own, and a records domain shows its fields in this one.
    public func keyOrder(under key: String) -> [String] {
        let prefix = key + "."
        let inside = sources.keys.filter { $0.hasPrefix(prefix) && !$0.dropFirst(prefix.count).contains(".") }
        func line(_ full: String) -> Int {
            let parts = sources[full]!.split(separator: ":")
            return parts.count >= 3 ? Int(parts[parts.count - 2]) ?? Int.max : Int.max
        }
        return inside.sorted { (line($0), $0) < (line($1), $1) }.map { String($0.dropFirst(prefix.count)) }
    }

    /// A configuration with every key at its default.
    public init() {}
}
