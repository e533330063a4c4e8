/// What a `[plugins.<name>]` table is: a registered Swift plugin (no
/// `kind`: the name selects it), or a domain made from configuration alone.
enum PluginKind: String {
    /// A Swift plugin in the server's plugin list.
    case builtin
    /// A whole domain from its field list (Plugins/Records).
    case records
    /// A domain whose rules live in the team's backend, called over HTTP.
    case proxy

    /// The table key that chooses a kind.
    static let key = "kind"
    /// The kinds a table may name.
    static let configurable: [PluginKind] = [.records, .proxy]
}
