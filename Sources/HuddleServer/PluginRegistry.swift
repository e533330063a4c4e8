import Contacts
import HuddleConfig
import HuddleJSON
import HuddlePluginKit
import Kanban
import Notes

/// The plugins this server can run, by name, and which of them each
/// workspace gets.
///
/// Adding a domain: a target under Plugins/, one line in `builtIn`, and a
/// `[plugins.<name>]` table in the config.
final class PluginRegistry {
    static let builtIn: [WorkspacePlugin.Type] = [ContactsPlugin.self, NotesPlugin.self, KanbanPlugin.self]

    struct Entry {
        let name: String
        let plugin: WorkspacePlugin
        let types: [String]
    }

    private let entries: [String: Entry]
    private let ownerOfType: [String: String]
    private let rules: [WorkspaceRule]
    private var cache: [String: WorkspacePlugins] = [:]

    /// Builds every enabled plugin from its table; an unregistered name or a bad
    /// option is a startup error naming the key.
    init(config: HuddleConfig, available: [WorkspacePlugin.Type] = PluginRegistry.builtIn) throws(ConfigError) {
        let byName = Dictionary(available.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var problems: [ConfigProblem] = []
        var tables = config.pluginTables
        if !config.pluginsSectionPresent {
            for name in byName.keys where tables[name] == nil { tables[name] = [:] }
        }
        var entries: [String: Entry] = [:]
        for (name, table) in tables.sorted(by: { $0.key < $1.key }) {
            guard let type = byName[name] else {
                problems.append(ConfigProblem(key: "plugins.\(name)", source: "configuration",
                                              message: "no plugin named \(name) is registered (known: \(byName.keys.sorted().joined(separator: ", ")))"))
                continue
            }
            do {
                let plugin = try type.init(options: PluginOptions(pluginName: name, table: table))
                entries[name] = Entry(name: name, plugin: plugin, types: type.messageTypes)
            } catch {
                problems.append(ConfigProblem(key: error.key, source: "configuration", message: error.message))
            }
        }
        for (i, rule) in config.workspaces.enumerated() {
            for name in rule.plugins where entries[name] == nil && !problems.contains(where: { $0.key == "plugins.\(name)" }) {
                problems.append(ConfigProblem(key: "workspaces[\(i)].plugins", source: "configuration",
                                              message: "plugin \(name) is not enabled (add a [plugins.\(name)] table)"))
            }
        }
        guard problems.isEmpty else { throw ConfigError(problems: problems) }
        self.entries = entries
        var owners: [String: String] = [:]
        for entry in entries.values { for type in entry.types { owners[type] = entry.name } }
        ownerOfType = owners
        rules = config.workspaces
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
    var welcomeJSON: JSONValue {
        .array(entries.map { .object(["name": .string($0.name), "types": .array($0.types.map(JSONValue.string))]) })
    }
}

extension HuddleServer {
    /// `huddle check-config`: builds every plugin from its options without starting anything.
    public static func validatePlugins(_ config: HuddleConfig) throws {
        _ = try PluginRegistry(config: config)
    }
}
