/// One user's sessions in a workspace (grace included), in join order.
final class UserPresence {
    let userID: String
    var sessions: [Session] = []

    init(userID: String) { self.userID = userID }

    /// The name of the user's most recent session (the last in join order; no sort needed for one).
    var name: String { sessions.max { ($0.joinedAt, $0.id) < ($1.joinedAt, $1.id) }?.identity.name ?? userID }

    /// Sessions by `since`, then id: the same order on every node of a
    /// cluster, whichever session it learned of first.
    var sessionsInJoinOrder: [Session] {
        guard sessions.count > 1 else { return sessions }
        return sessions.sorted { ($0.joinedAt, $0.id) < ($1.joinedAt, $1.id) }
    }
}
