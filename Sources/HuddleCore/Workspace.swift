/// The sessions of one workspace. Every change is O(1) in its size (a user's
/// own sessions, a handful of tabs, are scanned linearly).
public final class Workspace {
    public let id: String
    /// Every connected session, for fan-out. Order is not meaningful.
    public private(set) var connectedSessions: [Session] = []
    /// Users with at least one session, grace included.
    private(set) var users: [String: [Session]] = [:]
    /// `users`' keys in order, kept once a second welcome asks for them with
    /// the same users: during a reconnect storm the users stay (their old
    /// sessions are in grace) and every welcome needs the order, while in a
    /// join storm each welcome follows a new user and a kept copy would only
    /// cost memory.
    private var sortedUserIDsCache: [String]?
    private var sortedUserIDsWanted = false
    /// Sessions, grace included.
    public private(set) var sessionCount = 0
    /// This node's own sessions, grace included (the rest are other nodes').
    public private(set) var localSessionCount = 0

    init(id: String) { self.id = id }

    /// Users with at least one session, grace included.
    public var userCount: Int { users.count }

    /// Every session, grace and other nodes' included.
    public var allSessions: [Session] { users.values.flatMap { $0 } }

    /// This node's sessions, grace included.
    public var localSessions: [Session] { allSessions.filter { !$0.isRemote } }

    /// The ids of `users`, sorted: the order of every presence list.
    var sortedUserIDs: [String] {
        if let sortedUserIDsCache { return sortedUserIDsCache }
        let sorted = users.keys.sorted()
        if sortedUserIDsWanted { sortedUserIDsCache = sorted }
        sortedUserIDsWanted = true
        return sorted
    }

    private func usersChanged() {
        sortedUserIDsCache = nil
        sortedUserIDsWanted = false
    }

    /// How many sessions (grace included) a user has here.
    public func sessionCount(ofUser userID: String) -> Int { users[userID]?.count ?? 0 }

    // MARK: Membership

    /// Adds a new session (connected); returns the user's session count after it.
    func add(_ session: Session) -> Int {
        let userID = session.identity.userID
        users[userID, default: []].append(session)
        let userSessionCount = users[userID]?.count ?? 0
        if userSessionCount == 1 { usersChanged() }
        sessionCount += 1
        if session.isRemote { return userSessionCount }
        localSessionCount += 1
        markConnected(session)
        return userSessionCount
    }

    /// Removes a session for good; returns the user's session count after it.
    func remove(_ session: Session) -> Int {
        markDisconnected(session)
        let userID = session.identity.userID
        guard let index = users[userID]?.firstIndex(where: { $0 === session }) else { return 0 }
        users[userID]?.remove(at: index)
        sessionCount -= 1
        if !session.isRemote { localSessionCount -= 1 }
        let userSessionCount = users[userID]?.count ?? 0
        if userSessionCount == 0 {
            users[userID] = nil
            usersChanged()
        }
        return userSessionCount
    }

    /// A session changes hands between this node and another (a resume on
    /// the other side of a load balancer): only the local count moves.
    func changeOwner(of session: Session, to node: String?) {
        guard (session.node == nil) != (node == nil) else {
            session.node = node
            return
        }
        localSessionCount += node == nil ? 1 : -1
        session.node = node
    }

    func markConnected(_ session: Session) {
        guard session.connectedIndex < 0 else { return }
        session.connectedIndex = Int32(connectedSessions.count)
        connectedSessions.append(session)
    }

    func markDisconnected(_ session: Session) {
        let index = Int(session.connectedIndex)
        guard index >= 0 else { return }
        let last = connectedSessions.removeLast()
        if last !== session {
            connectedSessions[index] = last
            last.connectedIndex = Int32(index)
        }
        session.connectedIndex = -1
    }
}
