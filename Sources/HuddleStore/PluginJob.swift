import HuddlePluginKit

/// One plugin request waiting for the store thread.
struct PluginJob {
    let request: PluginRequest
    let plugin: WorkspacePlugin
    let pluginName: String
    let reply: (PluginReply) -> Void
}
