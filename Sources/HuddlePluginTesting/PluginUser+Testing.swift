import HuddlePluginKit

/// Users for tests, one per role (and a second editor for ownership rules).
extension PluginUser {
    /// An editor; the harness's default sender.
    public static let alice = PluginUser(id: "alice", name: "Alice", role: .editor)
    /// Another editor.
    public static let bob = PluginUser(id: "bob", name: "Bob", role: .editor)
    /// An admin.
    public static let ada = PluginUser(id: "ada", name: "Ada", role: .admin)
    /// A viewer, who may only read.
    public static let victor = PluginUser(id: "victor", name: "Victor", role: .viewer)
}
