import HuddleWebSocket
import FuzzSupport

/// libFuzzer entry. The first byte picks a split size; the rest is read as
/// client frames (masked, any opcode, fragmented or not) whole and in pieces
/// of that size. Messages and the closing error must not depend on the split.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrameReader(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    SplitCheck.run(start, count, read)
    return 0
}

private enum Message: Equatable {
    case text([UInt8]), binary([UInt8]), ping([UInt8]), pong([UInt8]), close(UInt16?, String)

    init(_ message: WebSocketMessage) {
        switch message {
        case .text(let payload): self = .text(Array(payload))
        case .binary(let payload): self = .binary(Array(payload))
        case .ping(let payload): self = .ping(Array(payload))
        case .pong(let payload): self = .pong(Array(payload))
        case .close(let code, let reason): self = .close(code, reason)
        }
    }
}

private struct Outcome: Equatable, CustomStringConvertible {
    var messages: [Message] = []
    var error: WebSocketProtocolError?
    var description: String { "\(messages.count) messages, error \(error.map(String.init(describing:)) ?? "none")" }
}

private func read(_ pieces: [ArraySlice<UInt8>]) -> Outcome {
    // A small limit, so the fuzzer reaches the oversized-message paths.
    var reader = MessageReader(role: .server, maxMessageBytes: 1024)
    var outcome = Outcome()
    for piece in pieces {
        var chunk = Array(piece)
        do {
            try chunk.withUnsafeMutableBytes { buffer in
                try reader.read(buffer) { outcome.messages.append(Message($0)) }
            }
        } catch let error as WebSocketProtocolError {
            outcome.error = error
            return outcome
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }
    return outcome
}

@_cdecl("FuzzFrameReader_main")
func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzFrameReader($0, $1) }
}
