/// What the server must do after the core handled an input.
public enum Effect {
    /// Send these bytes to this audience.
    case send(Outgoing, to: Audience)
    /// Close that session's connection: 1000 after `leave`, 4008 for a
    /// rate-limit abuse streak. Its presence is already settled.
    case close(Session, code: UInt16, reason: String)
    /// A message whose type the core does not own: route it to the plugin
    /// that declares the type, or answer `unknown_type`.
    case plugin(PluginCall)
    /// A validated `sync`: replay events from storage, then send `synced`.
    case sync(SyncRequest)
    /// Tell the other nodes of the cluster (only when `CoreConfig.clustered`).
    case cluster(ClusterChange)
    /// Tell the backend (only when `CoreConfig.notices`).
    case notice(PresenceNotice)
    /// An `auth.refresh`: the server verifies the token and answers through
    /// ``Hub/tokenRefreshed(_:id:identity:now:)`` or an `error`.
    case refreshToken(TokenRefresh)
}
