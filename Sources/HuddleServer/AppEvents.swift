import HuddlePluginKit

/// `POST …/publish` with `"durable": true`: the backend's message becomes an
/// event in the log like a plugin's, with a seq, acked after its commit and
/// replayed. Not a registered plugin: no client can send `app.` types.
final class AppEvents: WorkspacePlugin {
    static let name = "app"
    static let messageTypes: [String] = []
    static let typePrefix = "app."

    init(options: PluginOptions) throws(PluginConfigError) {}

    convenience init() {
        try! self.init(options: PluginOptions(pluginName: Self.name, table: [:]))
    }

    func handle(_ request: PluginRequest, context: PluginContext) throws -> PluginOutcome {
        .write(PluginEvent(type: request.type, data: .object(request.data)))
    }

    /// Only `app.<name>`: the prefix keeps backend messages apart from the
    /// core's and every plugin's types.
    static func isValidType(_ type: String) -> Bool {
        guard type.hasPrefix(typePrefix) else { return false }
        let name = type.dropFirst(typePrefix.count)
        return (1...64).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
    }
}
