/// One user's sessions in a workspace (grace included), in join order: the
/// values of `Workspace.users`, keyed by user id. A plain array, not an object
/// holding one, so a user costs one allocation fewer.
extension Array where Element == Session {
    /// The name of the user's most recent session.
    var latestName: String? {
        guard count > 1 else { return first?.identity.name }
        return self.max { ($0.joinedAtUnixMs, $0.id) < ($1.joinedAtUnixMs, $1.id) }?.identity.name
    }

    /// Sessions by `since`, then id: the same order on every node of a
    /// cluster, whichever session it learned of first.
    var inJoinOrder: [Session] {
        guard count > 1 else { return self }
        return sorted { ($0.joinedAtUnixMs, $0.id) < ($1.joinedAtUnixMs, $1.id) }
    }
}
