import HuddleLoop

/// What a `BenchSession` reports to, and takes its loop and randomness from:
/// a fixed-population run (`BenchRun`), the churn run (`ChurnRun`) or the
/// reconnect storm (`StormRun`).
protocol BenchSessionOwner: AnyObject {
    var loop: EventLoop { get }
    var random: FastRandom { get set }
    func sessionWelcomed(_ session: BenchSession, welcome: UnsafeRawBufferPointer)
    func sessionFailed(_ session: BenchSession, reason: String)
    func sessionClosedByServer(_ session: BenchSession, code: UInt16?, reason: String)
    func sessionEnded(_ session: BenchSession, error: LoopError?)
    func cursorRelayed(sentAt: UInt64?, receivedAt: UInt64)
    func requestAcked(_ session: BenchSession, sentAt: UInt64, receivedAt: UInt64, payload: UnsafeRawBufferPointer)
    func requestFailed(_ session: BenchSession, error: String)
    func presenceMessage(_ session: BenchSession, kind: ServerMessageKind, payload: UnsafeRawBufferPointer)
    func otherMessage()
}

extension BenchSessionOwner {
    /// Only the storm follows presence; for the others it is one more message.
    func presenceMessage(_ session: BenchSession, kind: ServerMessageKind, payload: UnsafeRawBufferPointer) {
        otherMessage()
    }
}
