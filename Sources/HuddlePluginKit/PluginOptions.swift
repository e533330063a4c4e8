/// A plugin's `[plugins.<name>]` table, read key by key.
///
/// Each accessor marks its key as known and checks its type; `finish()`
/// rejects any key no accessor asked for, so a typo is a startup error. The
/// server adds where each key was set (file and line, or environment
/// variable) to the errors these accessors throw.
public final class PluginOptions {
    /// The plugin's name, as in `[plugins.<name>]`.
    public let pluginName: String
    private let table: [String: JSONValue]
    private var knownKeys: Set<String> = []

    /// The options of `pluginName`, as given in its table (empty when it has none).
    public init(pluginName: String, table: [String: JSONValue]) {
        self.pluginName = pluginName
        self.table = table
    }

    /// The raw value of `key`, or `nil` when the table does not set it.
    public func value(_ key: String) -> JSONValue? {
        knownKeys.insert(key)
        return table[key]
    }

    /// An integer option within `range`.
    public func int(_ key: String, default fallback: Int, range: ClosedRange<Int>) throws(PluginConfigError) -> Int {
        guard let raw = value(key) else { return fallback }
        guard case .int(let number) = raw else { throw error(key, "must be an integer, not \(raw.typeName)") }
        guard range.contains(number) else {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), not \(number)")
        }
        return number
    }

    /// A `true` / `false` option.
    public func bool(_ key: String, default fallback: Bool) throws(PluginConfigError) -> Bool {
        guard let raw = value(key) else { return fallback }
        guard case .bool(let flag) = raw else { throw error(key, "must be true or false, not \(raw.typeName)") }
        return flag
    }

    /// An array-of-strings option, any strings.
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

    /// An array-of-strings option whose every element is one of `choices`
    /// (e.g. which fields a setting may name).
    public func stringArray(_ key: String, default fallback: [String],
                            oneOf choices: [String]) throws(PluginConfigError) -> [String] {
        let strings = try stringArray(key, default: fallback)
        if let stray = strings.first(where: { !choices.contains($0) }) {
            throw error(key, "may list only \(choices.joined(separator: ", ")); not \"\(stray)\"")
        }
        return strings
    }

    /// A list of names that things are known by (kanban columns, deal
    /// stages): at least one, none empty, none twice. `item` names one of
    /// them in the messages ("must name at least one stage").
    public func names(_ key: String, default fallback: [String], item: String) throws(PluginConfigError) -> [String] {
        let names = try stringArray(key, default: fallback)
        if names.isEmpty { throw error(key, "must name at least one \(item)") }
        if names.contains("") { throw error(key, "must not contain an empty name") }
        if Set(names).count != names.count { throw error(key, "must not name a \(item) twice") }
        return names
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
