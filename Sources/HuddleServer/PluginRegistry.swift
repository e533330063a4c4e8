import Contacts
import HuddleConfig
import HuddleJSON
import HuddlePluginKit
import HuddleStore
import Kanban
import Notes

/// The plugins this server can run, by name, and which of them each
/// workspace gets.
///
/// Adding a domain: a table with `kind = "records"` or `kind = "proxy"`
/// needs nothing else (PluginRegistry+Kinds.swift builds it). A Swift
/// plugin is a target under Plugins/, `import`ed here with its type in
/// `builtIn`, plus a `[plugins.<name>]` table; a team's own package passes
/// its plugins to `HuddleCommand.main(plugins:)` instead.
final class PluginRegistry {
    static let builtIn: [WorkspacePlugin.Type] = [ContactsPlugin.self, NotesPlugin.self, KanbanPlugin.self]

    struct Entry {
        let name: String
        let types: [String]
        let handler: Handler
        /// The plugin's entry in `welcome.plugins`.
        let welcome: JSONValue
    }

    /// How a plugin's requests run.
    enum Handler {
        /// On the store thread, in the request's savepoint: a Swift plugin or
        /// a records domain, and what a request of it will read.
        case local(PluginHandler, reads: (PluginRequest) -> [RecordKey])
        /// On the backend first, off every Huddle thread; only its event goes to the store.
        case proxy(ProxySettings)
    }

    private let entries: [String: Entry]
    private let ownerOfType: [String: String]
    private let rules: [WorkspaceRule]
    private var cache: [String: WorkspacePlugins] = [:]

    /// Builds every enabled plugin from its table; an unregistered name or a bad
    /// option is a startup error naming the key and where it was set.
    init(config: HuddleConfig, available: [WorkspacePlugin.Type]) throws(ConfigError) {
        var problems: [ConfigProblem] = []
        func report(_ key: String, _ message: String) {
            problems.append(ConfigProblem(key: key, source: config.source(of: key), message: message))
        }
        var byName: [String: WorkspacePlugin.Type] = [:]
        for type in available {
            if byName[type.name] != nil {
                report("plugins.\(type.name)", "two registered plugins are named \(type.name); rename one")
            }
            byName[type.name] = byName[type.name] ?? type
        }
        var tables = config.pluginTables
        if !config.pluginsSectionPresent {
            for name in byName.keys where tables[name] == nil { tables[name] = [:] }
        }
        var entries: [String: Entry] = [:]
        for (name, table) in tables.sorted(by: { $0.key < $1.key }) {
            if let kind = table[PluginKind.key] {
                if let entry = Self.entry(name: name, kind: kind, table: table, config: config, report: report) {
                    entries[name] = entry
                }
                continue
            }
            guard let type = byName[name] else {
                report("plugins.\(name)",
                       "no plugin named \(name) is registered (known: \(byName.keys.sorted().joined(separator: ", "))), "
                       + "and the table has no kind (\(PluginKind.configurable.map(\.rawValue).joined(separator: ", ")))")
                continue
            }
            do {
                let plugin = try type.init(options: PluginOptions(pluginName: name, table: table))
                entries[name] = Entry(name: name, types: type.messageTypes, handler: .local(plugin.handle, reads: plugin.reads),
                                      welcome: Self.welcome(name, .builtin, type.messageTypes))
            } catch {
                report(error.key, error.message)
            }
        }
        // A table that exists but failed has its own problem above; only a
        // name with no table at all needs one here.
        for (i, rule) in config.workspaces.enumerated() {
            for name in rule.plugins where tables[name] == nil {
                report("workspaces[\(i)].plugins", "plugin \(name) is not enabled (add a [plugins.\(name)] table)")
            }
        }
        guard problems.isEmpty else { throw ConfigError(problems: problems) }
        self.entries = entries
        var owners: [String: String] = [:]
        for entry in entries.values { for type in entry.types { owners[type] = entry.name } }
        ownerOfType = owners
        rules = config.workspaces
    }

    /// Every enabled proxy plugin's settings; the server starts a backend for each.
    var proxySettings: [ProxySettings] {
        entries.values.compactMap { entry in
            if case .proxy(let settings) = entry.handler { return settings }
            return nil
        }
    }

    /// The plugins of one workspace, computed once per workspace id.
    func plugins(forWorkspace workspace: String) -> WorkspacePlugins {
        if let cached = cache[workspace] { return cached }
        let names: [String]
        if rules.isEmpty {
            names = entries.keys.sorted()
        } else {
            names = rules.first(where: { $0.matches(workspace) })?.plugins ?? []
        }
        let resolved = WorkspacePlugins(entries: names.compactMap { entries[$0] }, ownerOfType: ownerOfType)
        cache[workspace] = resolved
        return resolved
    }
}

/// The plugins enabled in one workspace.
struct WorkspacePlugins {
    let entries: [PluginRegistry.Entry]
    fileprivate let ownerOfType: [String: String]

    /// The plugin that handles `type` here, or `nil` (→ `unknown_type`).
    func entry(forType type: String) -> PluginRegistry.Entry? {
        guard let owner = ownerOfType[type] else { return nil }
        return entries.first { $0.name == owner }
    }

    /// The welcome's `plugins` list.
    var welcomeJSON: JSONValue { .array(entries.map(\.welcome)) }
}

extension HuddleServer {
    /// The plugins every server runs: contacts, notes and kanban.
    public static let builtInPlugins = PluginRegistry.builtIn

    /// Every problem with the plugin tables of `config` (unregistered names,
    /// bad options, workspace blocks naming a plugin with no table), found by
    /// building each plugin of `plugins` without starting anything. Pass it
    /// as `HuddleConfig.load`'s `validate`, so one run reports them with the
    /// core keys' problems.
    public static func pluginProblems(_ config: HuddleConfig, plugins: [WorkspacePlugin.Type]) -> [ConfigProblem] {
        do {
            _ = try PluginRegistry(config: config, available: plugins)
            return []
        } catch {
            return error.problems
        }
    }
}
