/// A layer between a connection's socket and its reader and writers (TLS on
/// memory buffers): bytes from the peer go in and come out as what `onRead`
/// gets; bytes written go in and come out as what the socket sends. It runs
/// on the loop thread, inside the connection's own read and flush, so it
/// needs no thread of its own.
public protocol StreamSecurity: AnyObject {
    /// Bytes from the peer; the application bytes they carried (maybe none),
    /// or `nil` when the stream is broken and the connection must close.
    func received(_ bytes: UnsafeRawBufferPointer) -> [UInt8]?
    /// Why `received` answered `nil`, for the log; `nil` while the stream works.
    var failure: String? { get }
    /// Application bytes to send, in order.
    func send(_ bytes: UnsafeRawBufferPointer)
    /// Ends the stream (TLS: close_notify); later sends are dropped.
    func finish()
    /// Whether there are bytes for the socket (handshake, records, alerts).
    var hasOutput: Bool { get }
    /// Takes the bytes for the socket produced so far.
    func takeOutput() -> [UInt8]
}
