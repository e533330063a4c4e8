/// An incremental, validating RFC 6455 frame parser that hands out whole
/// messages.
///
/// Feed it every read from the socket. A frame that lies wholly inside one read
/// and is a whole message (or a control frame) is unmasked in place and handed
/// out as a slice of that read: no copy, no allocation. Frames split across
/// reads and fragmented messages are copied once into an internal buffer.
/// Checks that can fail early do: a bad header fails on its first two bytes,
/// invalid UTF-8 on the first bad byte, an oversized message on its length.
public struct MessageReader {
    // Word-sized fields first and the byte-sized ones together at the end:
    // every WebSocket connection carries a reader, and the padding between
    // scattered small fields was a fifth of its size.
    public let maxMessageBytes: Int

    /// The start of a header cut off by the end of a read.
    private var partialHeader: [UInt8] = []
    /// The data message being reassembled: its bytes so far (see `messageOpcode`).
    private var messageBuffer: [UInt8] = []
    /// A control frame whose payload is split across reads (at most 125 bytes).
    private var controlBuffer: [UInt8] = []
    /// Boxed: an error ends the connection, so all but a dying reader would
    /// carry its 24 bytes (a code and a reason) for nothing.
    private var failure: Failure?
    /// The frame whose payload is arriving across reads or being reassembled.
    private var pendingFrame: PendingFrame?

    public let role: Role
    /// The data message being reassembled: its opcode (text or binary) while
    /// one is in progress, and the UTF-8 state of its bytes so far.
    private var messageOpcode: Opcode?
    private var messageValidator = UTF8Validator()

    /// Above this, the reassembly buffer is released after each message rather
    /// than kept, so an idle session does not hold a large message's memory.
    private static let retainedBufferCapacity = 4096

    private final class Failure {
        let error: WebSocketProtocolError
        init(error: WebSocketProtocolError) { self.error = error }
    }

    private struct PendingFrame {
        let header: FrameHeader
        var received = 0
        var remaining: Int { header.payloadLength - received }
    }

    public init(role: Role, maxMessageBytes: Int) {
        self.role = role
        self.maxMessageBytes = maxMessageBytes
    }

    /// Parses as many frames as `bytes` holds and calls `onMessage` for each
    /// complete message or control frame, in order.
    ///
    /// `bytes` is the socket's read buffer; it is unmasked in place. After an
    /// error the reader is dead: every later call throws the same error.
    public mutating func read(_ bytes: UnsafeMutableRawBufferPointer,
                              onMessage: (WebSocketMessage) -> Void) throws(WebSocketProtocolError) {
        if let failure { throw failure.error }
        do {
            try consume(bytes, onMessage: onMessage)
        } catch {
            failure = Failure(error: error)
            throw error
        }
    }

    /// True when no frame or message is partly read: the peer's byte stream
    /// stopped at a frame boundary.
    public var isAtFrameBoundary: Bool {
        partialHeader.isEmpty && pendingFrame == nil && messageOpcode == nil
    }

    // MARK: Frame loop

    private mutating func consume(_ bytes: UnsafeMutableRawBufferPointer,
                                  onMessage: (WebSocketMessage) -> Void) throws(WebSocketProtocolError) {
        var offset = 0
        while true {
            if var frame = pendingFrame {
                let take = min(frame.remaining, bytes.count - offset)
                let chunk = UnsafeMutableRawBufferPointer(rebasing: bytes[offset..<(offset + take)])
                try absorb(chunk, into: &frame)
                offset += take
                guard frame.remaining == 0 else {
                    pendingFrame = frame
                    return
                }
                pendingFrame = nil
                try finish(frame.header, onMessage: onMessage)
                continue
            }
            if offset == bytes.count { return }

            guard let header = try takeHeader(bytes, offset: &offset) else { return }
            try checkSequence(header)
            if header.payloadLength <= bytes.count - offset && Self.isWholeMessage(header) {
                let payload = UnsafeMutableRawBufferPointer(rebasing: bytes[offset..<(offset + header.payloadLength)])
                offset += header.payloadLength
                header.mask?.apply(to: payload, phase: 0)
                try Self.deliver(header.opcode, UnsafeRawBufferPointer(payload), onMessage: onMessage)
            } else {
                begin(header)
            }
        }
    }

    /// Returns the next header, from `bytes` directly or from the part kept
    /// from the previous read; nil (keeping what there is) if it is incomplete.
    private mutating func takeHeader(_ bytes: UnsafeMutableRawBufferPointer,
                                     offset: inout Int) throws(WebSocketProtocolError) -> FrameHeader? {
        if partialHeader.isEmpty {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            if let header = try FrameHeader.parse(rest, role: role) {
                offset += header.length
                return header
            }
            partialHeader.append(contentsOf: rest)
            offset = bytes.count
            return nil
        }
        // Grow the kept part a byte at a time: a header is at most 14 bytes,
        // and this way none of the payload is copied.
        while offset < bytes.count {
            partialHeader.append(bytes[offset])
            offset += 1
            // Array.withUnsafeBytes is untyped `rethrows`: carry the error out in a Result.
            let parsed = partialHeader.withUnsafeBytes { kept in
                Result { () throws(WebSocketProtocolError) in try FrameHeader.parse(kept, role: role) }
            }
            if let header = try parsed.get() {
                partialHeader.removeAll(keepingCapacity: true)
                return header
            }
        }
        return nil
    }

    /// The rules that depend on the frames before this one.
    private func checkSequence(_ header: FrameHeader) throws(WebSocketProtocolError) {
        if header.opcode.isControl { return }
        if header.opcode == .continuation {
            if messageOpcode == nil {
                throw WebSocketProtocolError(.protocolError, "continuation frame with no message in progress")
            }
        } else if messageOpcode != nil {
            throw WebSocketProtocolError(.protocolError, "new data frame inside a fragmented message")
        }
        let soFar = messageOpcode == nil ? 0 : messageBuffer.count
        if header.payloadLength > maxMessageBytes - soFar {
            throw WebSocketProtocolError(.messageTooBig, "message over \(maxMessageBytes) bytes")
        }
    }

    /// Control frames and unfragmented data frames are whole messages.
    private static func isWholeMessage(_ header: FrameHeader) -> Bool {
        header.opcode.isControl || (header.fin && header.opcode != .continuation)
    }

    // MARK: Frames that are copied

    private mutating func begin(_ header: FrameHeader) {
        if !header.opcode.isControl {
            if header.opcode != .continuation {
                messageOpcode = header.opcode
                messageValidator = UTF8Validator()
            }
            messageBuffer.reserveCapacity(messageBuffer.count + header.payloadLength)
        }
        pendingFrame = PendingFrame(header: header)
    }

    /// Unmasks, validates and keeps the next piece of a pending frame's payload.
    private mutating func absorb(_ chunk: UnsafeMutableRawBufferPointer,
                                 into frame: inout PendingFrame) throws(WebSocketProtocolError) {
        frame.header.mask?.apply(to: chunk, phase: frame.received)
        frame.received += chunk.count
        let bytes = UnsafeRawBufferPointer(chunk)
        if frame.header.opcode.isControl {
            controlBuffer.append(contentsOf: bytes)
            return
        }
        if messageOpcode == .text && !messageValidator.validate(bytes) {
            throw .invalidUTF8
        }
        messageBuffer.append(contentsOf: bytes)
    }

    private mutating func finish(_ header: FrameHeader,
                                 onMessage: (WebSocketMessage) -> Void) throws(WebSocketProtocolError) {
        if header.opcode.isControl {
            defer { controlBuffer.removeAll(keepingCapacity: true) }
            let delivered = controlBuffer.withUnsafeBytes { payload in
                Result { () throws(WebSocketProtocolError) in
                    try Self.deliverControl(header.opcode, payload, onMessage: onMessage)
                }
            }
            return try delivered.get()
        }
        guard header.fin, let opcode = messageOpcode else { return }
        if opcode == .text && !messageValidator.isAtBoundary {
            throw .truncatedUTF8
        }
        messageBuffer.withUnsafeBytes { payload in
            onMessage(opcode == .text ? .text(payload) : .binary(payload))
        }
        messageOpcode = nil
        messageBuffer.removeAll(keepingCapacity: messageBuffer.capacity <= Self.retainedBufferCapacity)
    }

    // MARK: Delivery

    /// Delivers a whole message that lies in the caller's buffer.
    private static func deliver(_ opcode: Opcode, _ payload: UnsafeRawBufferPointer,
                         onMessage: (WebSocketMessage) -> Void) throws(WebSocketProtocolError) {
        switch opcode {
        case .text:
            // The same checks, in the same order, as for a message read in pieces,
            // so the close reason does not depend on how TCP split the bytes.
            var validator = UTF8Validator()
            guard validator.validate(payload) else { throw .invalidUTF8 }
            guard validator.isAtBoundary else { throw .truncatedUTF8 }
            onMessage(.text(payload))
        case .binary:
            onMessage(.binary(payload))
        default:
            try Self.deliverControl(opcode, payload, onMessage: onMessage)
        }
    }

    private static func deliverControl(_ opcode: Opcode, _ payload: UnsafeRawBufferPointer,
                                onMessage: (WebSocketMessage) -> Void) throws(WebSocketProtocolError) {
        switch opcode {
        case .ping: onMessage(.ping(payload))
        case .pong: onMessage(.pong(payload))
        default: onMessage(try parseClose(payload))
        }
    }

    /// A close payload is empty, or a valid code followed by a UTF-8 reason.
    private static func parseClose(_ payload: UnsafeRawBufferPointer) throws(WebSocketProtocolError) -> WebSocketMessage {
        if payload.isEmpty { return .close(code: nil, reason: "") }
        guard payload.count >= 2 else {
            throw WebSocketProtocolError(.protocolError, "close frame with a 1-byte payload")
        }
        let code = UInt16(payload[0]) << 8 | UInt16(payload[1])
        guard CloseCode.isValidOnTheWire(code) else {
            throw WebSocketProtocolError(.protocolError, "close code \(code) is not allowed on the wire")
        }
        let reason = UnsafeRawBufferPointer(rebasing: payload[2...])
        var validator = UTF8Validator()
        guard validator.validate(reason) && validator.isAtBoundary else {
            throw WebSocketProtocolError(.invalidPayload, "close reason is not valid UTF-8")
        }
        return .close(code: code, reason: String(decoding: reason, as: UTF8.self))
    }
}
