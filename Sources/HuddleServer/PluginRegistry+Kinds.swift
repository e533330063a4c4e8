import HuddleConfig
import HuddleCore
import HuddleJSON
import HuddlePluginKit
import Records

extension PluginRegistry {
    /// The entry of a table with `kind`, or `nil` after reporting every
    /// problem: the kind, a name the core owns, the kind's own options.
    static func entry(name: String, kind raw: JSONValue, table: [String: JSONValue], config: HuddleConfig,
                      report: (String, String) -> Void) -> Entry? {
        let tableKey = "plugins.\(name)"
        var nameIsFree = true
        if MessageType.reservedPluginNames.contains(name) {
            report(tableKey, "\(name) is a core message type; choose another name for this plugin")
            nameIsFree = false
        }
        guard let kind = raw.stringValue.flatMap(PluginKind.init(rawValue:)), PluginKind.configurable.contains(kind) else {
            report("\(tableKey).\(PluginKind.key)",
                   "must be one of \(PluginKind.configurable.map(\.rawValue).joined(separator: ", ")); without kind, the name selects a registered plugin")
            return nil
        }
        var options = table
        options[PluginKind.key] = nil
        let pluginOptions = PluginOptions(pluginName: name, table: options)
        switch kind {
        case .records:
            do {
                let domain = try RecordsDomain(options: pluginOptions, fieldOrder: config.keyOrder(under: "\(tableKey).fields"))
                guard nameIsFree else { return nil }
                return Entry(name: name, types: domain.messageTypes, handler: .local(domain.handle, reads: domain.reads),
                             welcome: welcome(name, kind, domain.messageTypes, extra: domain.schema))
            } catch {
                for problem in error.errors { report(problem.key, problem.message) }
            }
        case .proxy:
            do {
                let settings = try ProxySettings(options: pluginOptions)
                guard nameIsFree else { return nil }
                return Entry(name: name, types: settings.types, handler: .proxy(settings),
                             welcome: welcome(name, kind, settings.types))
            } catch {
                for problem in error.errors { report(problem.key, problem.message) }
            }
        case .builtin:
            break
        }
        return nil
    }

    /// A `welcome.plugins` entry: name, kind, types, and what the kind adds
    /// (a records domain's `fields` and `index`).
    static func welcome(_ name: String, _ kind: PluginKind, _ types: [String], extra: [String: JSONValue] = [:]) -> JSONValue {
        var entry = extra
        entry["name"] = .string(name)
        entry["kind"] = .string(kind.rawValue)
        entry["types"] = .array(types.map(JSONValue.string))
        return .object(entry)
    }
}
