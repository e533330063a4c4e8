/// One user's place in a churn run: the connection of the moment (a new
/// `BenchSession` after each reconnect) and the session id to resume.
final class ChurnSlot {
    let index: Int
    let workspace: String
    let user: String
    let isWriter: Bool
    var session: BenchSession?
    /// From the last welcome: what `?session=` resumes.
    var sessionID: String?
    /// Whether the next reconnect asks to resume `sessionID`.
    var resumesNext = false
    var notesSent = 0

    init(index: Int, workspace: String, user: String, isWriter: Bool) {
        self.index = index
        self.workspace = workspace
        self.user = user
        self.isWriter = isWriter
    }

    var isOpen: Bool {
        guard let session, let connection = session.connection else { return false }
        return session.isWelcomed && !connection.isClosed
    }
}
