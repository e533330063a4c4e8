import HuddlePluginKit

/// A `kind = "proxy"` table: where its backend is, which actions it takes,
/// how it signs, and how long and how many calls may run.
struct ProxySettings {
    let name: String
    let url: String
    /// The full message types, `<name>.<action>`.
    let types: [String]
    let secret: [UInt8]
    let timeoutMs: Int
    let maxInFlight: Int

    static let defaultTimeoutMs = 2000
    static let timeoutRange = 1...600_000
    static let defaultMaxInFlight = 64
    static let maxInFlightRange = 1...10_000

    /// Reads the table (without `kind`); every bad option is one problem, so
    /// `check-config` lists them all.
    init(options: PluginOptions) throws(ProxyConfigError) {
        var problems: [PluginConfigError] = []
        func read<T>(_ body: () throws(PluginConfigError) -> T, fallback: T) -> T {
            do { return try body() } catch { problems.append(error); return fallback }
        }
        name = options.pluginName
        url = read({ () throws(PluginConfigError) -> String in
            guard let raw = options.value("url") else { throw options.error("url", "is required: the backend's http:// or https:// URL") }
            guard let text = raw.stringValue, text.hasPrefix("http://") || text.hasPrefix("https://") else {
                throw options.error("url", "must be an http:// or https:// URL")
            }
            return text
        }, fallback: "")
        let actions = read({ () throws(PluginConfigError) -> [String] in
            let names = try options.names("actions", default: [], item: "action")
            if let bad = names.first(where: { !Self.isAction($0) }) {
                throw options.error("actions", "\"\(bad)\" is not an action name (words of a–z, 0–9 and _, joined by dots)")
            }
            return names
        }, fallback: [])
        types = actions.map { "\(options.pluginName).\($0)" }
        secret = read({ () throws(PluginConfigError) -> [UInt8] in
            guard let text = options.value("secret")?.stringValue, !text.isEmpty else {
                throw options.error("secret", "is required: the key of the X-Huddle-Signature HMAC (prefer the environment variable)")
            }
            return Array(text.utf8)
        }, fallback: [])
        timeoutMs = read({ () throws(PluginConfigError) -> Int in
            try options.int("timeout_ms", default: Self.defaultTimeoutMs, range: Self.timeoutRange)
        }, fallback: Self.defaultTimeoutMs)
        maxInFlight = read({ () throws(PluginConfigError) -> Int in
            try options.int("max_in_flight", default: Self.defaultMaxInFlight, range: Self.maxInFlightRange)
        }, fallback: Self.defaultMaxInFlight)
        read({ () throws(PluginConfigError) in try options.finish() }, fallback: ())
        guard problems.isEmpty else { throw ProxyConfigError(errors: problems) }
    }

    private static func isAction(_ name: String) -> Bool {
        name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { word in
            !word.isEmpty && word.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        }
    }
}

/// Every problem of a proxy table.
struct ProxyConfigError: Error {
    let errors: [PluginConfigError]
}
