// A lingering close (nginx's name for it): closing a socket whose receive
// buffer still holds unread bytes makes the kernel send a reset, and a reset
// can overtake the last thing we wrote, such as a WebSocket close frame or an
// HTTP error. So the write side is shut down after the last byte, and the
// socket stays open, reading and discarding, until the peer ends its side.
extension TCPConnection {
    /// Flushes what is queued, half-closes the write side, then reads and
    /// discards everything until the peer's end of stream (or an error), and
    /// closes; after `timeoutMs` it closes regardless. `onRead` is no longer
    /// called; later writes are dropped; `onClose` follows. Does nothing once
    /// a close of any kind has begun.
    public func closeLingering(timeoutMs: UInt64) {
        guard state == .open else { return }
        onRead = nil
        let timer = LoopTimer(loop: loop)
        timer.start(afterMs: timeoutMs) { [weak self] in self?.close() }
        lingerTimer = timer
        state = .draining
        startReading()
        scheduleFlush()
    }
}
