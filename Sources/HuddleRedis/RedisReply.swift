import CHiredis

/// One Redis reply, copied out of hiredis's reply tree.
///
/// `.error` also carries the link's own failures, so a caller has one
/// failure path. Their messages start with a code of their own, as Redis's
/// do (`ERR`, `WRONGTYPE`): `LINKDOWN` (the command was not sent: the link
/// is not connected or is closed) and `LINKLOST` (sent, but the connection
/// ended before the reply came; it may or may not have run).
public enum RedisReply: Equatable, Sendable {
    /// `+OK`, `+PONG`
    case status(String)
    /// A bulk string: binary, as stored.
    case bulk([UInt8])
    case integer(Int64)
    case array([RedisReply])
    /// A nil bulk or nil array (a missing key, a timed-out blocking pop).
    case `nil`
    case error(String)

    static let linkDown = "LINKDOWN"
    static let linkLost = "LINKLOST"

    /// True for the link's own failures, as opposed to an error from Redis.
    public var isLinkFailure: Bool {
        guard case .error(let message) = self else { return false }
        return message.hasPrefix(Self.linkDown) || message.hasPrefix(Self.linkLost)
    }

    /// The bulk string as UTF-8 text, if this is one.
    public var text: String? {
        guard case .bulk(let bytes) = self else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    init(_ reply: UnsafeMutablePointer<redisReply>) {
        let node = reply.pointee
        switch node.type {
        case REDIS_REPLY_STATUS:
            self = .status(String(decoding: Self.bytes(of: node), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            self = .error(String(decoding: Self.bytes(of: node), as: UTF8.self))
        case REDIS_REPLY_STRING:
            self = .bulk(Array(Self.bytes(of: node)))
        case REDIS_REPLY_INTEGER:
            self = .integer(node.integer)
        case REDIS_REPLY_ARRAY:
            self = .array((0..<node.elements).map { RedisReply(node.element[$0]!) })
        default:
            self = .nil
        }
    }

    /// The reply's string, in place: valid while hiredis holds the reply.
    static func bytes(of node: redisReply) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: node.str, count: node.len)
    }
}
