/// One user's sessions in a workspace (grace included), in join order.
final class UserPresence {
    let userID: String
    var sessions: [Session] = []

    init(userID: String) { self.userID = userID }

    /// The name of the user's most recent session.
    var name: String { sessions.last?.identity.name ?? userID }
}
