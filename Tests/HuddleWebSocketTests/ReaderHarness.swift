import HuddleWebSocket

/// A message copied out of the reader's callback, so tests can compare them.
enum Delivered: Equatable {
    case text(String)
    case binary([UInt8])
    case ping([UInt8])
    case pong([UInt8])
    case close(UInt16?, String)

    init(_ message: WebSocketMessage) {
        switch message {
        case .text(let bytes): self = .text(String(decoding: bytes, as: UTF8.self))
        case .binary(let bytes): self = .binary(Array(bytes))
        case .ping(let bytes): self = .ping(Array(bytes))
        case .pong(let bytes): self = .pong(Array(bytes))
        case .close(let code, let reason): self = .close(code, reason)
        }
    }
}

extension Delivered: CustomStringConvertible {
    /// Long payloads print as their size, so a failing comparison stays readable.
    var description: String {
        func summary(_ bytes: [UInt8]) -> String { bytes.count <= 32 ? "\(bytes)" : "<\(bytes.count) bytes>" }
        switch self {
        case .text(let text): return text.utf8.count <= 64 ? "text(\(text.debugDescription))" : "text(<\(text.utf8.count) bytes>)"
        case .binary(let bytes): return "binary(\(summary(bytes)))"
        case .ping(let bytes): return "ping(\(summary(bytes)))"
        case .pong(let bytes): return "pong(\(summary(bytes)))"
        case .close(let code, let reason): return "close(\(code.map(String.init) ?? "nil"), \(reason.debugDescription))"
        }
    }
}

/// What a reader made of a byte stream: the messages, then the error if any.
struct ReadOutcome {
    var messages: [Delivered] = []
    var error: WebSocketProtocolError?
}

/// The masking key of RFC 6455 §5.7's examples.
let sampleMaskKey: UInt32 = 0x37FA_213D

/// Feeds each chunk to one reader as one socket read; stops at the first error.
func readChunks(_ chunks: [[UInt8]], role: Role = .server, maxMessageBytes: Int = 1 << 20) -> ReadOutcome {
    var reader = MessageReader(role: role, maxMessageBytes: maxMessageBytes)
    var outcome = ReadOutcome()
    for chunk in chunks {
        var buffer = chunk  // the reader unmasks in place: each read gets its own copy
        do {
            try buffer.withUnsafeMutableBytes { bytes in
                try reader.read(bytes) { outcome.messages.append(Delivered($0)) }
            }
        } catch let error as WebSocketProtocolError {
            outcome.error = error
            return outcome
        } catch {
            fatalError("unexpected error \(error)")
        }
    }
    return outcome
}

/// Feeds `stream` to a fresh reader in a single read.
func readAll(_ stream: [UInt8], role: Role = .server, maxMessageBytes: Int = 1 << 20) -> ReadOutcome {
    readChunks([stream], role: role, maxMessageBytes: maxMessageBytes)
}

/// A frame as a client sends it: masked.
func clientFrame(_ opcode: Opcode, _ payload: [UInt8], fin: Bool = true) -> [UInt8] {
    FrameEncoder.frame(opcode, payload: payload, maskKey: sampleMaskKey, fin: fin)
}

func clientFrame(_ opcode: Opcode, _ text: String, fin: Bool = true) -> [UInt8] {
    clientFrame(opcode, Array(text.utf8), fin: fin)
}

/// A small deterministic generator (SplitMix64), so random chunkings replay.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
