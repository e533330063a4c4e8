/// A plugin option that is wrong; startup stops and names `key`.
public struct PluginConfigError: Error, Equatable, CustomStringConvertible {
    /// The full key, e.g. `plugins.contacts.required_fields`.
    public let key: String
    public let message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "\(key): \(message)" }
}

/// A plugin's `[plugins.<name>]` table, read key by key.
///
/// Each accessor marks its key as known and checks its type; `finish()`
/// rejects any key no accessor asked for, so a typo is a startup error.
public final class PluginOptions {
    public let pluginName: String
    private let table: [String: JSONValue]
    private var knownKeys: Set<String> = []

    public init(pluginName: String, table: [String: JSONValue]) {
        self.pluginName = pluginName
        self.table = table
    }

    /// The raw value of `key`, or `nil` when the table does not set it.
    public func value(_ key: String) -> JSONValue? {
        knownKeys.insert(key)
        return table[key]
    }

    public func int(_ key: String, default fallback: Int, range: ClosedRange<Int>) throws(PluginConfigError) -> Int {
        guard let raw = value(key) else { return fallback }
        guard case .int(let number) = raw else { throw error(key, "must be an integer, not \(raw.typeName)") }
        guard range.contains(number) else {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), not \(number)")
        }
        return number
    }

    public func bool(_ key: String, default fallback: Bool) throws(PluginConfigError) -> Bool {
        guard let raw = value(key) else { return fallback }
        guard case .bool(let flag) = raw else { throw error(key, "must be true or false, not \(raw.typeName)") }
        return flag
    }

    public func stringArray(_ key: String, default fallback: [String]) throws(PluginConfigError) -> [String] {
        guard let raw = value(key) else { return fallback }
        guard case .array(let elements) = raw else { throw error(key, "must be an array of strings, not \(raw.typeName)") }
        var strings: [String] = []
        for element in elements {
            guard case .string(let s) = element else { throw error(key, "must contain only strings") }
            strings.append(s)
        }
        return strings
    }

    /// Rejects keys that no accessor read.
    public func finish() throws(PluginConfigError) {
        if let unknown = table.keys.sorted().first(where: { !knownKeys.contains($0) }) {
            throw error(unknown, "is not an option of plugin \(pluginName)")
        }
    }

    /// An error naming `plugins.<name>.<key>`.
    public func error(_ key: String, _ message: String) -> PluginConfigError {
        PluginConfigError(key: "plugins.\(pluginName).\(key)", message: message)
    }
}
