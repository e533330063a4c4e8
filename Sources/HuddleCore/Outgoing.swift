/// One server → client message, encoded once whatever the number of recipients.
public struct Outgoing {
    /// The message's `type`, for metrics.
    public let type: String
    /// The JSON text.
    public let bytes: [UInt8]
    /// Cursor and typing relays: a slow consumer may skip them (PROTOCOL.md §8).
    public let droppable: Bool

    public init(type: String, bytes: [UInt8], droppable: Bool = false) {
        self.type = type
        self.bytes = bytes
        self.droppable = droppable
    }

    /// The JSON text as a string, for logs and tests.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
