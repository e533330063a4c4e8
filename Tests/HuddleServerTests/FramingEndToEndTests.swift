import HuddleJSON
import HuddleTestSupport
import HuddleWebSocket
import Testing

/// PROTOCOL.md §2: what each malformed frame closes with.
@Suite struct FramingEndToEndTests {
    let server: ServerProcess

    init() throws { server = try ServerProcess(environment: ["HUDDLE_LIMITS_MAX_MESSAGE_BYTES": "2048"]) }

    private func closeCode(after send: (WebSocketTestClient) throws -> Void) throws -> UInt16? {
        let member = try server.join("frames", user: "zed")
        try send(member.client)
        return try member.client.expectClose()
    }

    @Test func binaryMessageCloses1003() throws {
        #expect(try closeCode { try $0.sendFrame(.binary, [1, 2, 3]) } == 1003)
    }

    @Test func invalidUTF8Closes1007() throws {
        #expect(try closeCode { try $0.sendFrame(.text, [0x7B, 0xC3, 0x28, 0x7D]) } == 1007)
    }

    @Test func oversizedMessageCloses1009() throws {
        let big = "{\"type\":\"ping\",\"pad\":\"" + String(repeating: "x", count: 4096) + "\"}"
        #expect(try closeCode { try $0.send(text: big) } == 1009)
    }

    @Test func unmaskedFrameCloses1002() throws {
        let unmasked = FrameEncoder.frame(.text, payload: Array(#"{"type":"ping"}"#.utf8))
        #expect(try closeCode { try $0.sendRaw(unmasked) } == 1002)
    }

    @Test func reservedBitsClose1002() throws {
        var frame = FrameEncoder.frame(.text, payload: Array("{}".utf8), maskKey: 0x01020304)
        frame[0] |= 0x40
        #expect(try closeCode { try $0.sendRaw(frame) } == 1002)
    }

    @Test func fragmentedMessageIsReassembled() throws {
        let member = try server.join("frames", user: "yara")
        try member.client.sendFrame(.text, Array(#"{"type":"pi"#.utf8), fin: false)
        try member.client.sendFrame(.ping, [])
        try member.client.sendFrame(.continuation, Array(#"ng","id":9}"#.utf8), fin: true)
        #expect(try member.waitFor("pong")["id"] == 9)
    }

    @Test func serverClosesTCPWhenThePeerNeverAnswersItsClose() throws {
        let member = try server.join("frames", user: "quiet")
        try member.send(["type": "leave"])
        var closeCode: UInt16?
        while closeCode == nil {
            if case .close(let code, _) = try member.client.receive() { closeCode = code ?? 0 }
        }
        #expect(closeCode == 1000)
        // No close reply from us: the server still ends the TCP connection (not a timeout on our side).
        do {
            while true { _ = try member.client.receive(timeout: 10) }
        } catch TestClientError.connectionClosed {
        } catch {
            Issue.record("expected the server to close the connection, got \(error)")
        }
    }
}
