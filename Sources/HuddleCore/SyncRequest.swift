import HuddleJSON

/// A validated `sync` (PROTOCOL.md §6): replay events with `seq > since`.
public struct SyncRequest {
    public let session: Session
    /// The last sequence number the client applied (non-negative).
    public let since: Int
    /// The epoch the client's `since` comes from, if it gave one.
    public let epoch: String?
    /// The request id to echo in `synced` or `error`.
    public let id: JSONValue?

    public init(session: Session, since: Int, epoch: String?, id: JSONValue?) {
        self.session = session
        self.since = since
        self.epoch = epoch
        self.id = id
    }
}
