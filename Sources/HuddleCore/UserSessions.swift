/// One user's sessions in a workspace (grace included), in join order
/// (`since`, then id: the order every node of a cluster lists them in,
/// whichever it learned of first): the elements of `Workspace.users`.
/// Most users have one session, kept without an array: a pointer's worth
/// of space and no allocation, where an array cost each idle user 48 bytes.
enum UserSessions: RandomAccessCollection {
    case one(Session)
    case several([Session])

    /// The user's id (the same in each of their sessions: a resume or a
    /// token refresh may change the name or role, never the user).
    var userID: String { self[0].identity.userID }

    var startIndex: Int { 0 }

    var endIndex: Int {
        switch self {
        case .one: return 1
        case .several(let sessions): return sessions.count
        }
    }

    subscript(position: Int) -> Session {
        switch self {
        case .one(let session):
            precondition(position == 0, "index out of range")
            return session
        case .several(let sessions):
            return sessions[position]
        }
    }

    /// Adds `session` at its place in join order; a new tab's is the end.
    mutating func insert(_ session: Session) {
        var sessions: [Session]
        switch self {
        case .one(let only): sessions = [only]
        case .several(let several): sessions = several
        }
        sessions.insert(session, at: sessions.lastIndex { !Self.joined(session, before: $0) }.map { $0 + 1 } ?? 0)
        self = .several(sessions)
    }

    private static func joined(_ a: Session, before b: Session) -> Bool {
        (a.joinedAtUnixMs, a.id) < (b.joinedAtUnixMs, b.id)
    }

    /// Removes `session`; nil when it was the last one, the user's sessions
    /// unchanged when it is not among them.
    func removing(_ session: Session) -> UserSessions? {
        switch self {
        case .one(let only):
            return only === session ? nil : self
        case .several(var sessions):
            sessions.removeAll { $0 === session }
            return sessions.count > 1 ? .several(sessions) : sessions.first.map { .one($0) }
        }
    }

    /// The name of the user's most recent session.
    var latestName: String { self[endIndex - 1].identity.name }
}
