/// One user's sessions in a workspace (grace included), in the order they
/// were added: the elements of `Workspace.users`. Most users have one
/// session, kept without an array: a pointer's worth of space and no
/// allocation, where an array cost each idle user 48 bytes.
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

    mutating func append(_ session: Session) {
        switch self {
        case .one(let first): self = .several([first, session])
        case .several(let sessions): self = .several(sessions + [session])
        }
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
    var latestName: String {
        guard case .several(let sessions) = self else { return self[0].identity.name }
        return sessions.max { ($0.joinedAtUnixMs, $0.id) < ($1.joinedAtUnixMs, $1.id) }!.identity.name
    }

    /// Sessions by `since`, then id: the same order on every node of a
    /// cluster, whichever session it learned of first.
    var inJoinOrder: UserSessions {
        guard case .several(let sessions) = self else { return self }
        return .several(sessions.sorted { ($0.joinedAtUnixMs, $0.id) < ($1.joinedAtUnixMs, $1.id) })
    }
}
