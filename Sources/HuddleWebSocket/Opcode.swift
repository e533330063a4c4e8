/// The frame opcodes of RFC 6455 §5.2. The reserved opcodes (3–7, 11–15)
/// have no case: a frame carrying one fails the connection with 1002.
public enum Opcode: UInt8, Sendable {
    case continuation = 0
    case text = 1
    case binary = 2
    case close = 8
    case ping = 9
    case pong = 10

    /// Control frames (close, ping, pong) have the high bit of the opcode set.
    public var isControl: Bool { rawValue & 0x8 != 0 }
}
