/// The sessions of one workspace. A session's change is O(1) in the
/// workspace's size, but for a user's first join or last leave: a binary
/// search and a move of the pointers after it. A user's own sessions, a
/// handful of tabs, are scanned linearly.
public final class Workspace {
    public let id: String
    /// Every connected session, for fan-out. Order is not meaningful.
    public private(set) var connectedSessions: [Session] = []
    /// Users with at least one session, grace included, sorted by user id
    /// (the order of every presence list) and found by binary search. A
    /// pointer per user: a dictionary cost 24 bytes a bucket, and twice the
    /// buckets at some sizes (61 bytes a user in a workspace of 100), and its
    /// keys had to be sorted for every welcome.
    private(set) var users: [UserSessions] = []
    /// Sessions, grace included.
    public private(set) var sessionCount = 0
    /// This node's own sessions, grace included (the rest are other nodes').
    public private(set) var localSessionCount = 0

    init(id: String) { self.id = id }

    /// Users with at least one session, grace included.
    public var userCount: Int { users.count }

    /// Every session, grace and other nodes' included.
    public var allSessions: [Session] { users.flatMap { $0 } }

    /// This node's sessions, grace included.
    public var localSessions: [Session] { allSessions.filter { !$0.isRemote } }

    /// How many sessions (grace included) a user has here.
    public func sessionCount(ofUser userID: String) -> Int {
        let (index, found) = position(of: userID)
        return found ? users[index].count : 0
    }

    /// Where `userID`'s sessions are in `users`, or where they would go.
    private func position(of userID: String) -> (index: Int, found: Bool) {
        var low = 0
        var high = users.count
        while low < high {
            let middle = (low + high) / 2
            if users[middle].userID < userID { low = middle + 1 } else { high = middle }
        }
        return (low, low < users.count && users[low].userID == userID)
    }

    // MARK: Membership

    /// Adds a new session (connected); returns the user's session count after it.
    func add(_ session: Session) -> Int {
        let userID = session.identity.userID
        let (index, found) = position(of: userID)
        if found {
            users[index].insert(session)
        } else {
            users.insert(.one(session), at: index)
        }
        let userSessionCount = users[index].count
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
        let (index, found) = position(of: userID)
        guard found, users[index].contains(where: { $0 === session }) else { return 0 }
        sessionCount -= 1
        if !session.isRemote { localSessionCount -= 1 }
        guard let remaining = users[index].removing(session) else {
            users.remove(at: index)
            return 0
        }
        users[index] = remaining
        return remaining.count
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
