import HuddleTestSupport
import HuddleWebSocket
import Testing

/// Issue 12: a peer that breaks a limit must read the close code, not a reset.
/// The server keeps reading (and discarding) after its close frame, so the
/// rest of an oversized message never meets a closed socket. Default limits,
/// as a release server runs; each race is tried a hundred times.
@Suite struct LingeringCloseEndToEndTests {
    let server: ServerProcess
    static let tries = 100
    static let limit = 65_536

    init() throws { server = try ServerProcess() }

    @Test func oversizedSingleFrameGets1009EveryTime() throws {
        let payload = [UInt8](repeating: 0x61, count: Self.limit + 1)
        var codes: [UInt16??] = []
        for attempt in 0..<Self.tries {
            let member = try server.join("linger", user: "single\(attempt)")
            try member.client.sendFrame(.text, payload)
            // A reset instead of the close frame counts as a miss (nil).
            codes.append(try? member.client.expectClose())
        }
        #expect(codes.filter { $0 == 1009 }.count == Self.tries)
    }

    @Test func oversizedFragmentedMessageGets1009EveryTime() throws {
        let fragment = [UInt8](repeating: 0x62, count: Self.limit / 4)
        var codes: [UInt16??] = []
        for attempt in 0..<Self.tries {
            let member = try server.join("linger", user: "fragments\(attempt)")
            try member.client.sendFrame(.text, fragment, fin: false)
            for _ in 0..<4 { try member.client.sendFrame(.continuation, fragment, fin: false) }
            try member.client.sendFrame(.continuation, fragment, fin: true)
            // A reset instead of the close frame counts as a miss (nil).
            codes.append(try? member.client.expectClose())
        }
        #expect(codes.filter { $0 == 1009 }.count == Self.tries)
    }
}
