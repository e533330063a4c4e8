/// One server → client message, encoded once whatever the number of recipients.
public struct Outgoing {
    /// When the message may leave, and whether it may be skipped.
    public enum Delivery: Sendable {
        /// At the end of the loop turn: replies, welcomes, errors.
        case prompt
        /// Within `server.relay_batch_ms`, in one write with the session's
        /// other output (order is kept): presence broadcasts, which a mass
        /// reconnect sends to everyone in the workspace. The server sends
        /// other sessions' copies of durable events this way too.
        case batched
        /// Batched, and skipped for a slow consumer (PROTOCOL.md §8):
        /// cursor and typing relays.
        case droppable
    }

    /// The message's `type`, for metrics.
    public let type: String
    /// The JSON text.
    public let bytes: [UInt8]
    public let delivery: Delivery

    public init(type: String, bytes: [UInt8], delivery: Delivery = .prompt) {
        self.type = type
        self.bytes = bytes
        self.delivery = delivery
    }

    /// The JSON text as a string, for logs and tests.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
