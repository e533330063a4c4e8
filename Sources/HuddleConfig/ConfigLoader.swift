import Foundation
import TOMLKit

/// Layers the file, the environment and the flags over the defaults, in that
/// order, so a later layer wins; every refused value becomes a problem and
/// loading goes on, so one run reports them all.
struct ConfigLoader {
    private(set) var config = HuddleConfig()
    private(set) var problems: [ConfigProblem] = []
    /// Where each key's current value came from, so that a rule tying two keys
    /// together can point at the one that was set.
    private var origins: [String: String] = [:]

    static let environmentPrefix = "HUDDLE_"
    static let defaultsSource = "defaults"
    private static let pluginsSection = "plugins"
    private static let workspacesSection = "workspaces"
    /// The key an environment value is parsed under (`probe = <value>`).
    private static let probeKey = "value"

    // MARK: File

    mutating func loadFile(at path: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            report("", path, "cannot read the config file (missing or not readable)")
            return
        }
        guard let text = String(data: data, encoding: .utf8) else {
            report("", path, "the config file is not UTF-8 text")
            return
        }
        loadText(text, path: path)
    }

    /// Applies the TOML `text` of the file at `path` (which names it in problems).
    mutating func loadText(_ text: String, path: String) {
        if let spot = TOMLParserGuard.firstCrashingSpot(in: text) {
            report("", "\(path):\(spot.line):\(spot.column)", spot.message)
            return
        }
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            report("", "\(path):\(error.source.begin.line):\(error.source.begin.column)", error.description)
            return
        } catch {
            report("", path, "\(error)")
            return
        }
        apply(root, from: ConfigFile(path: path, locator: TOMLKeyLocator(text: text)))
    }

    private mutating func apply(_ root: TOMLTable, from file: ConfigFile) {
        for (section, value) in root {
            switch section {
            case Self.pluginsSection:
                applyPlugins(value, from: file)
            case Self.workspacesSection:
                applyWorkspaces(value, from: file)
            case _ where ConfigKey.keyedSections.contains(section):
                guard let table = value.table else {
                    report(section, file.source(rootEntry: section),
                           ConfigKey.mismatch(expected: "a table ([\(section)])", found: value))
                    continue
                }
                for (name, value) in table {
                    let source = file.source(table: [section], key: name)
                    guard let key = ConfigKey.find(section: section, name: name) else {
                        reportUnknownKey(section: section, name: name, source: source)
                        continue
                    }
                    set(key, to: value, source: source)
                }
            default:
                report(section, file.source(rootEntry: section), "unknown section; the sections are \(Self.allSections)")
            }
        }
    }

    private mutating func applyPlugins(_ value: TOMLValueConvertible, from file: ConfigFile) {
        guard let plugins = value.table else {
            report(Self.pluginsSection, file.source(rootEntry: Self.pluginsSection),
                   ConfigKey.mismatch(expected: "[plugins.<name>] tables", found: value))
            return
        }
        config.pluginsSectionPresent = true
        for (name, options) in plugins {
            // A `[plugins.<name>]` header, else a `<name> = …` line in `[plugins]`.
            let tableSource = file.located(table: [Self.pluginsSection, name])
                ?? file.source(table: [Self.pluginsSection], key: name)
            guard let table = options.table else {
                report("\(Self.pluginsSection).\(name)", tableSource,
                       ConfigKey.mismatch(expected: "a table ([plugins.\(name)])", found: options))
                continue
            }
            let tableKey = "\(Self.pluginsSection).\(name)"
            config.pluginTables[name] = table.jsonObject
            config.sources[tableKey] = tableSource
            for (option, value) in table {
                let optionKey = "\(tableKey).\(option)"
                config.sources[optionKey] = file.source(table: [Self.pluginsSection, name], key: option)
                // A table option (a records domain's `fields`): each key inside it is placed
                // too, written as `fields.title = …` or under a `[plugins.<name>.fields]` header.
                guard let innerTable = value.table else { continue }
                for (inner, _) in innerTable {
                    config.sources["\(optionKey).\(inner)"] =
                        file.located(table: [Self.pluginsSection, name], key: "\(option).\(inner)")
                        ?? file.located(table: [Self.pluginsSection, name, option], key: inner)
                        ?? config.sources[optionKey]
                }
            }
        }
    }

    private mutating func applyWorkspaces(_ value: TOMLValueConvertible, from file: ConfigFile) {
        let section = Self.workspacesSection
        guard let blocks = value.array else {
            report(section, file.source(rootEntry: section),
                   ConfigKey.mismatch(expected: "[[workspaces]] blocks", found: value))
            return
        }
        for (index, block) in blocks.enumerated() {
            let blockKey = "\(section)[\(index)]"
            let blockSource = file.source(table: [section], occurrence: index)
            guard let table = block.table else {
                report(blockKey, blockSource, ConfigKey.mismatch(expected: "a table", found: block))
                continue
            }
            var match: String?
            var plugins: [String]?
            for (name, value) in table {
                let source = file.source(table: [section], occurrence: index, key: name)
                switch name {
                case WorkspaceRule.matchKey:
                    if let glob = value.string, ConfigKey.nonEmpty(glob) == nil {
                        match = glob
                    } else {
                        report("\(blockKey).\(name)", source,
                               ConfigKey.mismatch(expected: "a non-empty glob string", found: value))
                    }
                case WorkspaceRule.pluginsKey:
                    if let names = ConfigKey.stringArray(value) {
                        plugins = names
                        config.sources["\(blockKey).\(name)"] = source
                    } else {
                        report("\(blockKey).\(name)", source, ConfigKey.stringArrayMismatch(value))
                    }
                default:
                    report("\(blockKey).\(name)", source,
                           "unknown key; a [[workspaces]] block has \(WorkspaceRule.matchKey) and \(WorkspaceRule.pluginsKey)")
                }
            }
            for required in [WorkspaceRule.matchKey, WorkspaceRule.pluginsKey] where table[required] == nil {
                report("\(blockKey).\(required)", blockSource, "is required in every [[workspaces]] block")
            }
            if let match, let plugins {
                config.workspaces.append(WorkspaceRule(match: match, plugins: plugins))
            }
        }
    }

    // MARK: Environment

    mutating func applyEnvironment(_ environment: [String: String]) {
        for (variable, text) in environment.sorted(by: { $0.key < $1.key }) where variable.hasPrefix(Self.environmentPrefix) {
            let words = variable.dropFirst(Self.environmentPrefix.count)
                .split(separator: "_", omittingEmptySubsequences: false)
                .map { $0.lowercased() }
            let section = words[0]
            let rest = words.dropFirst()
            let source = "environment \(variable)"
            switch section {
            case Self.pluginsSection:
                guard rest.count >= 2, let plugin = rest.first, !plugin.isEmpty, !rest.dropFirst().joined().isEmpty else {
                    report(Self.pluginsSection, source, "must be named HUDDLE_PLUGINS_<PLUGIN>_<KEY>")
                    continue
                }
                let option = rest.dropFirst().joined(separator: "_")
                let tableKey = "\(Self.pluginsSection).\(plugin)"
                config.pluginTables[plugin, default: [:]][option] = Self.environmentValue(text).jsonValue
                config.sources["\(tableKey).\(option)"] = source
                // The variable also made the table, unless the file has it.
                config.sources[tableKey] = config.sources[tableKey] ?? source
            case Self.workspacesSection:
                report(section, source, "[[workspaces]] blocks can only be set in a config file")
            case _ where ConfigKey.keyedSections.contains(section):
                let name = rest.joined(separator: "_")
                guard !name.isEmpty else {
                    report(section, source, "names no key; use HUDDLE_\(section.uppercased())_<KEY>")
                    continue
                }
                guard let key = ConfigKey.find(section: section, name: name) else {
                    reportUnknownKey(section: section, name: name, source: source)
                    continue
                }
                let value = Self.environmentValue(text)
                let takesText = key.takesRawText && ![.string, .array, .table].contains(value.type)
                set(key, to: takesText ? text : value, source: source)
            default:
                continue  // HUDDLE_CONFIG and friends are not keys.
            }
        }
    }

    /// `text` read as a TOML value (`400`, `true`, `["a","b"]`), or as the
    /// string itself when it is not one.
    static func environmentValue(_ text: String) -> TOMLValueConvertible {
        guard let table = try? TOMLTable(string: "\(probeKey) = \(text)"), table.count == 1,
            let value = table[probeKey]
        else { return text }
        return value
    }

    // MARK: Flags

    mutating func apply(_ overrides: CommandLineOverrides) {
        if let host = overrides.host { set(ConfigKey.serverHost, to: host, source: "--host") }
        if let port = overrides.port { set(ConfigKey.serverPort, to: port, source: "--port") }
        if let storage = overrides.storage {
            // The flag chooses the backend: the other key's value, from the
            // file or the environment, no longer applies.
            if PostgresURL.looksLikeURL(storage) {
                set(ConfigKey.storagePostgresURL, to: storage, source: "--storage")
                origins["storage.path"] = nil
            } else {
                set(ConfigKey.storagePath, to: storage, source: "--storage")
                config.storage.postgresURL = nil
                origins["storage.postgres_url"] = nil
            }
        }
    }

    // MARK: Rules across keys

    mutating func checkCombinations() {
        if config.webhooks.url != nil, config.webhooks.secret == nil {
            report("webhooks.secret", origins["webhooks.url"] ?? Self.defaultsSource,
                   "is required when webhooks.url is set: every batch is signed with it; set HUDDLE_WEBHOOKS_SECRET "
                   + "to at least \(HuddleConfig.Webhooks.secretMinimumBytes) random bytes")
        }
        if config.cluster.redisURL != nil, config.storage.postgresURL == nil {
            report("cluster.redis_url", origins["cluster.redis_url"] ?? Self.defaultsSource,
                   "needs storage.postgres_url: the nodes of a cluster share one PostgreSQL database, "
                   + "not a SQLite file each (storage.path)")
        }
        if config.storage.postgresURL != nil, let pathSource = origins["storage.path"] {
            report("storage.postgres_url", origins["storage.postgres_url"] ?? Self.defaultsSource,
                   "and storage.path (set at \(pathSource)) are both set; keep storage.postgres_url for PostgreSQL "
                   + "or storage.path for a SQLite file")
        }
        if config.tls.isEnabled, config.tls.certFile == nil || config.tls.keyFile == nil {
            let given = config.tls.certFile == nil ? "tls.key_file" : "tls.cert_file"
            report(given, origins[given] ?? Self.defaultsSource, "needs tls.cert_file and tls.key_file both set")
        }
        if config.auth.mode == .jwt, !config.auth.hasVerificationKey {
            report("auth.jwt_secret", origins["auth.mode"] ?? Self.defaultsSource,
                   "is required when auth.mode is \"jwt\"; set HUDDLE_AUTH_JWT_SECRET to at least "
                   + "\(HuddleConfig.Auth.jwtSecretMinimumBytes) random bytes, or set auth.jwt_public_key_file, "
                   + "auth.jwks_file or auth.jwks_url for an identity provider's keys")
        }
    }

    // MARK: Helpers

    private static let allSections = (ConfigKey.keyedSections + [pluginsSection, workspacesSection])
        .map { "[\($0)]" }.joined(separator: ", ")

    private mutating func set(_ key: ConfigKey, to value: TOMLValueConvertible, source: String) {
        if let message = key.assign(value, &config) {
            report(key.path, source, message)
        } else {
            origins[key.path] = source
        }
    }

    private mutating func reportUnknownKey(section: String, name: String, source: String) {
        let known = ConfigKey.names(in: section).joined(separator: ", ")
        report("\(section).\(name)", source, "unknown key; [\(section)] has \(known)")
    }

    private mutating func report(_ key: String, _ source: String, _ message: String) {
        problems.append(ConfigProblem(key: key, source: source, message: message))
    }
}

/// A config file being applied: its path, and where its keys are.
private struct ConfigFile {
    let path: String
    let locator: TOMLKeyLocator

    /// `path:line:column` of a key or header, or `nil` if it cannot be placed.
    func located(table: [String], occurrence: Int = 0, key: String? = nil) -> String? {
        locator.position(table: table, occurrence: occurrence, key: key).map { "\(path):\($0.line):\($0.column)" }
    }

    /// Like ``located(table:occurrence:key:)``, falling back to the bare path.
    func source(table: [String], occurrence: Int = 0, key: String? = nil) -> String {
        located(table: table, occurrence: occurrence, key: key) ?? path
    }

    /// A top-level entry: a `[name]` header, or a `name = ...` line before any header.
    func source(rootEntry name: String) -> String {
        located(table: [name]) ?? source(table: [], key: name)
    }
}
