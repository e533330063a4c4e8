extension HuddleConfig {
    /// The plugins allowed in `workspace` by the `[[workspaces]]` blocks:
    /// `nil` when there are no blocks (every enabled plugin runs everywhere),
    /// else the first matching block's plugins, or none if no block matches.
    public func pluginNames(forWorkspace workspace: String) -> [String]? {
        if workspaces.isEmpty { return nil }
        return workspaces.first { $0.matches(workspace) }?.plugins ?? []
    }
}
