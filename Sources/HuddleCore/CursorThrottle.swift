/// At most one cursor relay per window (PROTOCOL.md §5): a relay opens a
/// window; inside it only the latest cursor is kept, and it is relayed when
/// the window closes, which opens the next one.
///
/// A class, made at a session's first cursor, so that a session that never
/// sends one does not carry its state.
final class CursorThrottle {
    enum Admission {
        /// Relay it now; a window is open until `windowEnd`.
        case relayNow
        /// Kept as the window's trailing cursor. `armAt` is set for the first
        /// one kept in this window: the caller arms a deadline there.
        case held(armAt: UInt64?)
    }

    /// `{"type":"cursor","user":…,"session":…`: the start of every relay of this session.
    let prefix: [UInt8]
    private(set) var windowEnd: UInt64?
    private(set) var pending: Outgoing?
    /// Non-zero while a window-end deadline is armed for `pending`.
    var armedGeneration: UInt64 = 0

    init(prefix: [UInt8]) {
        self.prefix = prefix
    }

    func admit(_ message: Outgoing, at now: UInt64, windowMs: UInt64) -> Admission {
        if let windowEnd, now < windowEnd {
            let isFirstHeld = pending == nil
            pending = message
            return .held(armAt: isFirstHeld ? windowEnd : nil)
        }
        windowEnd = now + windowMs
        return .relayNow
    }

    /// The window closed: the trailing cursor to relay, if any, which opens the next window.
    func closeWindow(at now: UInt64, windowMs: UInt64) -> Outgoing? {
        armedGeneration = 0
        guard let message = pending else { return nil }
        pending = nil
        windowEnd = now + windowMs
        return message
    }

    /// The session left: nothing of it is relayed any more.
    func discard() {
        pending = nil
        armedGeneration = 0
    }
}
