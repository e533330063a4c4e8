/// One complete message or control frame, as `MessageReader` delivers it.
///
/// The buffers point into the reader's input or its internal buffer and are
/// valid only during the `onMessage` callback: copy what must outlive it.
public enum WebSocketMessage {
    case text(UnsafeRawBufferPointer)
    case binary(UnsafeRawBufferPointer)
    case ping(UnsafeRawBufferPointer)
    case pong(UnsafeRawBufferPointer)
    /// `code` is nil when the close frame had an empty payload.
    case close(code: UInt16?, reason: String)
}
