import HuddlePluginKit

/// The `PluginConfigError` `Plugin`'s `init(options:)` throws for `table`
/// (the options of its `[plugins.<name>]` table), or `nil` if it accepts it.
public func configError<Plugin: WorkspacePlugin>(_ plugin: Plugin.Type,
                                                 _ table: [String: JSONValue]) -> PluginConfigError? {
    do {
        _ = try Plugin(options: PluginOptions(pluginName: Plugin.name, table: table))
        return nil
    } catch {
        return error
    }
}
