/// The `type` strings of the messages the core reads and writes.
enum MessageType {
    // Client → server
    static let presenceSet = "presence.set"
    static let leave = "leave"
    static let ping = "ping"
    static let sync = "sync"
    // Both ways
    static let typing = "typing"
    static let cursor = "cursor"
    // Server → client
    static let welcome = "welcome"
    static let presenceJoin = "presence.join"
    static let presenceLeave = "presence.leave"
    static let presenceUpdate = "presence.update"
    static let pong = "pong"
    static let error = "error"
}
