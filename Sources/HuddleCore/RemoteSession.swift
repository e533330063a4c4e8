import HuddleJSON

/// A session of another node of the cluster, as that node announced it.
public struct RemoteSession: Sendable, Equatable {
    public let id: String
    public let identity: Identity
    public let status: PresenceStatus
    public let focus: String?
    public let meta: JSONValue
    /// When it joined, Unix ms.
    public let sinceUnixMs: Int64
    /// Set while the session is in its grace period: why its connection
    /// ended and when (Unix ms) it leaves unless it is resumed.
    public let grace: Grace?

    public struct Grace: Sendable, Equatable {
        public let reason: LeaveReason
        public let untilUnixMs: Int64

        public init(reason: LeaveReason, untilUnixMs: Int64) {
            self.reason = reason
            self.untilUnixMs = untilUnixMs
        }
    }

    public init(id: String, identity: Identity, status: PresenceStatus, focus: String?, meta: JSONValue, sinceUnixMs: Int64,
                grace: Grace?) {
        self.id = id
        self.identity = identity
        self.status = status
        self.focus = focus
        self.meta = meta
        self.sinceUnixMs = sinceUnixMs
        self.grace = grace
    }
}
