import HuddlePluginKit

/// What runs a plugin request on the store thread, inside its savepoint: a
/// plugin's `handle`, or a step that only returns an outcome decided
/// elsewhere (a proxy plugin's backend answered before the job was queued).
public typealias PluginHandler = (PluginRequest, PluginContext) throws -> PluginOutcome

/// One plugin request waiting for the store thread.
struct PluginJob {
    let request: PluginRequest
    let handle: PluginHandler
    let pluginName: String
    /// What `handle` will read, as far as the plugin can tell beforehand
    /// (``WorkspacePlugin/reads(for:)``); asked on the store thread.
    let reads: (PluginRequest) -> [RecordKey]
    let reply: (PluginReply) -> Void
}
