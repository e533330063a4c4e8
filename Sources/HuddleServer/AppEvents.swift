import HuddlePluginKit
import HuddleStore

/// `POST …/publish` with `"durable": true`: the backend's message becomes an
/// event in the log like a plugin's, with a seq, acked after its commit and
/// replayed. No client can send `app.` types: they belong to the backend.
enum AppEvents {
    static let name = "app"
    static let typePrefix = "app."

    /// Stores the message as it came: the event is the request.
    static let handler: PluginHandler = { request, _ in
        .write(PluginEvent(type: request.type, data: .object(request.data)))
    }

    private static let nameRule = CharacterSetRule(
        allowed: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-", length: 1...64)

    /// Only `app.<name>`: the prefix keeps backend messages apart from the
    /// core's and every plugin's types.
    static func isValidType(_ type: String) -> Bool {
        type.hasPrefix(typePrefix) && nameRule.matches(String(type.dropFirst(typePrefix.count)))
    }
}
