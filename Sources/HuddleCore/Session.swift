import HuddleJSON

/// One WebSocket connection's presence in one workspace. It outlives its
/// connection for the grace period, during which a reload can resume it.
public final class Session {
    enum State {
        case connected
        /// Connection gone, `presence.leave` pending at `deadline`.
        case grace(deadline: UInt64, reason: LeaveReason)
        /// Left the workspace; nothing of it is relayed any more.
        case gone
        /// Connected to another node of the cluster.
        case remote
    }

    public let id: String
    /// The cluster node the session is connected to (or was, in grace);
    /// `nil` for this node's own sessions.
    public internal(set) var node: String?
    /// Replaced on resume, so a reconnect with a new token carries its new role.
    public internal(set) var identity: Identity
    /// Right after `identity`, whose last word it shares (fields of every
    /// session are laid out in this order).
    public internal(set) var status: PresenceStatus = .online
    /// Strong on purpose: the server may hold a session after it left (while
    /// its socket closes), and the workspace may be dropped by then. The
    /// workspace forgets its sessions when they leave, so no cycle outlives them.
    public let workspace: Workspace
    /// The server's connection object; `nil` while the session is in grace or gone.
    public var attachment: AnyObject?

    public internal(set) var focus: String?
    /// Always an object.
    public internal(set) var meta: JSONValue = .object([:])
    /// Position in `workspace.connectedSessions`, for O(1) removal. 32 bits,
    /// so that it fills the padding after `meta` (see `status`).
    var connectedIndex: Int32 = -1
    /// When the session joined, Unix ms; a number rather than its ISO-8601
    /// text, which would be one more heap string per idle session.
    public let joinedAtUnixMs: Int64

    var state: State = .connected
    /// Tells a current grace deadline from one a resume cancelled: counts
    /// this session's graces, wrapping. 32 bits, right after `state`, fill
    /// its padding; a stale deadline lives one grace period, far less than
    /// 2³² graces.
    var graceGeneration: UInt32 = 0
    /// Typing targets in the order they started.
    var typing: [TypingTarget] = []
    /// Made at the session's first cursor: an idle session pays 8 bytes for it.
    var cursor: CursorThrottle?
    var bucket: TokenBucket
    /// When the token runs out, and when `auth.expiring` is due; `nil` with no `exp`.
    var tokenDeadlines: TokenDeadlines?

    init(id: String, identity: Identity, workspace: Workspace, attachment: AnyObject?, joinedAtUnixMs: Int64, bucket: TokenBucket) {
        self.id = id
        self.identity = identity
        self.workspace = workspace
        self.attachment = attachment
        self.joinedAtUnixMs = joinedAtUnixMs
        self.bucket = bucket
    }

    /// The session's cursor throttle, made at its first cursor.
    func cursorThrottle() -> CursorThrottle {
        if let cursor { return cursor }
        // `{"type":"cursor","user":…,"session":…`: the same for every cursor of this session.
        var writer = MessageWriter(type: MessageType.cursor)
        writer.string("user", identity.userID)
        writer.string("session", id)
        let throttle = CursorThrottle(prefix: writer.prefix)
        cursor = throttle
        return throttle
    }

    /// Connected to this node.
    public var isConnected: Bool {
        if case .connected = state { return true }
        return false
    }

    /// Another node's session (connected there or in grace).
    public var isRemote: Bool { node != nil }

    /// In its grace period: counts in presence, receives nothing.
    public var isInGrace: Bool {
        if case .grace = state { return true }
        return false
    }

    /// Left its workspace for good.
    public var hasLeft: Bool {
        if case .gone = state { return true }
        return false
    }
}
