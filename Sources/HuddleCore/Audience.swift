/// Who receives a message. The receiver of an effect resolves it right after
/// the call that produced it, against the workspace's connected sessions at
/// that moment; the core orders its state changes so that this is exact.
public enum Audience {
    /// One session (skipped if it is no longer connected).
    case session(Session)
    /// Every connected session of the workspace.
    case workspace(Workspace)
    /// Every connected session of the workspace but one.
    case workspaceExcept(Workspace, Session)
}
