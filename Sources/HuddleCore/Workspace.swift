/// The sessions of one workspace. Every change is O(1) in its size (a user's
/// own sessions, a handful of tabs, are scanned linearly).
public final class Workspace {
    public let id: String
    /// Every connected session, for fan-out. Order is not meaningful.
    public private(set) var connectedSessions: [Session] = []
    /// Users with at least one session, grace included.
    var users: [String: UserPresence] = [:]
    /// Sessions, grace included.
    public private(set) var sessionCount = 0

    init(id: String) { self.id = id }

    /// Users with at least one session, grace included.
    public var userCount: Int { users.count }

    /// How many sessions (grace included) a user has here.
    public func sessionCount(ofUser userID: String) -> Int { users[userID]?.sessions.count ?? 0 }

    // MARK: Membership

    /// Adds a new session (connected); returns the user's session count after it.
    func add(_ session: Session) -> Int {
        let user = users[session.identity.userID] ?? {
            let created = UserPresence(userID: session.identity.userID)
            users[created.userID] = created
            return created
        }()
        user.sessions.append(session)
        sessionCount += 1
        markConnected(session)
        return user.sessions.count
    }

    /// Removes a session for good; returns the user's session count after it.
    func remove(_ session: Session) -> Int {
        markDisconnected(session)
        guard let user = users[session.identity.userID],
              let index = user.sessions.firstIndex(where: { $0 === session }) else { return 0 }
        user.sessions.remove(at: index)
        sessionCount -= 1
        if user.sessions.isEmpty { users[user.userID] = nil }
        return user.sessions.count
    }

    func markConnected(_ session: Session) {
        guard session.connectedIndex < 0 else { return }
        session.connectedIndex = connectedSessions.count
        connectedSessions.append(session)
    }

    func markDisconnected(_ session: Session) {
        let index = session.connectedIndex
        guard index >= 0 else { return }
        let last = connectedSessions.removeLast()
        if last !== session {
            connectedSessions[index] = last
            last.connectedIndex = index
        }
        session.connectedIndex = -1
    }
}
