/// Why a typing indicator ended: the `reason` of `active:false` (PROTOCOL.md §4).
public enum TypingStopReason: String, Sendable {
    case stopped, expired, left
}
