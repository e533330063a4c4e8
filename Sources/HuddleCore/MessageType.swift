/// The `type` strings of the messages the core reads and writes.
public enum MessageType {
    // Client → server
    static let presenceSet = "presence.set"
    static let leave = "leave"
    static let ping = "ping"
    static let sync = "sync"
    // Both ways
    static let typing = "typing"
    static let cursor = "cursor"
    static let authRefresh = "auth.refresh"
    static let authExpiring = "auth.expiring"
    // Server → client
    static let welcome = "welcome"
    static let presenceJoin = "presence.join"
    static let presenceLeave = "presence.leave"
    static let presenceUpdate = "presence.update"
    static let pong = "pong"
    static let error = "error"

    static let all = [presenceSet, leave, ping, sync, typing, cursor, welcome, presenceJoin, presenceLeave,
                      presenceUpdate, pong, error, "ack", "synced"]

    /// The names a plugin table may not take: the first word of every core
    /// type (`presence`, `typing`, …), so a plugin's `<name>.<action>` can
    /// never be mistaken for a core message.
    public static let reservedPluginNames: Set<String> = Set(all.map { String($0.split(separator: ".")[0]) })
}
