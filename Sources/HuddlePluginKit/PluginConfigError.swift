/// A plugin option that is wrong; startup stops and names `key`.
public struct PluginConfigError: Error, Equatable, CustomStringConvertible {
    /// The full key, e.g. `plugins.contacts.required_fields`.
    public let key: String
    /// What is wrong and what would be right.
    public let message: String

    /// An error about `key`; plugins make them with `PluginOptions.error(_:_:)`.
    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    /// `key: message`, as startup prints it after the key's file and line.
    public var description: String { "\(key): \(message)" }
}
