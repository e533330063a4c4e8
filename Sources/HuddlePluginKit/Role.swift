/// The role a user acts with; viewers may only read.
public enum Role: String, Sendable, CaseIterable {
    /// May read, never write.
    case viewer
    /// May read and write.
    case editor
    /// May do what editors do, and what a plugin reserves for admins
    /// (notes: edit or delete anyone's note).
    case admin

    /// Whether the role may change records at all.
    public var canWrite: Bool { self != .viewer }
}
