/// A change of who is in a workspace that a CRM's backend may want pushed
/// to it (presence webhooks, docs/protocol.md §13): made only when
/// `CoreConfig.notices` is on, by the node where the change happened.
public struct PresenceNotice: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The user's first session in the workspace (on any node).
        case userOnline = "user.online"
        /// The user's last session left, after its grace: a reload sends nothing.
        case userOffline = "user.offline"
        /// The workspace's first session.
        case workspaceOccupied = "workspace.occupied"
        /// The workspace's last session left.
        case workspaceVacated = "workspace.vacated"
    }

    public let kind: Kind
    public let workspace: String
    /// `nil` for the workspace kinds.
    public let user: String?
}
