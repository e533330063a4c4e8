import HuddleTestSupport
import HuddleTLS
import Testing

/// A client stream and a server stream joined in memory, no socket: what one
/// hands to its socket is what the other receives.
@Suite struct TLSStreamTests {
    let directory: TemporaryDirectory
    let server: TLSStream
    let client: TLSStream

    init() throws {
        directory = try TemporaryDirectory(prefix: "huddle-tls-stream")
        let pair = try OpenSSLCommand.selfSignedCertificate(in: directory)
        let serverContext = try TLSContext(certificateFile: pair.certificate, keyFile: pair.key, minimumVersion: .tls12)
        server = try #require(TLSStream(context: serverContext))
        client = try #require(TLSStream(context: try TLSContext.unverifiedClient(), serverName: "localhost"))
    }

    /// Carries output both ways until neither side has more; answers the plaintext each side received.
    @discardableResult
    private func pump() throws -> (atServer: [UInt8], atClient: [UInt8]) {
        var atServer: [UInt8] = []
        var atClient: [UInt8] = []
        while true {
            let toServer = client.takeOutput()
            let toClient = server.takeOutput()
            if toServer.isEmpty && toClient.isEmpty { return (atServer, atClient) }
            atServer += try #require(toServer.withUnsafeBytes { server.received($0) })
            atClient += try #require(toClient.withUnsafeBytes { client.received($0) })
        }
    }

    private func send(_ text: String, from stream: TLSStream) {
        Array(text.utf8).withUnsafeBytes { stream.send($0) }
    }

    /// The lengths of the TLS records in `bytes` (5-byte headers).
    private func recordLengths(_ bytes: [UInt8]) -> [Int] {
        var lengths: [Int] = []
        var offset = 0
        while offset + 5 <= bytes.count {
            let length = Int(bytes[offset + 3]) << 8 | Int(bytes[offset + 4])
            lengths.append(length)
            offset += 5 + length
        }
        return lengths
    }

    @Test func whatAClientSendsBeforeTheHandshakeArrivesAfterIt() throws {
        send("GET / HTTP/1.1\r\n\r\n", from: client)
        #expect(!client.isEstablished)
        let received = try pump()
        #expect(client.isEstablished && server.isEstablished)
        #expect(String(decoding: received.atServer, as: UTF8.self) == "GET / HTTP/1.1\r\n\r\n")
        #expect(client.negotiatedProtocol == "http/1.1" && server.negotiatedProtocol == "http/1.1")

        send("HTTP/1.1 200 OK\r\n\r\n", from: server)
        #expect(server.hasOutput)
        #expect(String(decoding: try pump().atClient, as: UTF8.self) == "HTTP/1.1 200 OK\r\n\r\n")
    }

    @Test func messagesSentBeforeOneFlushGoOutAsOneRecord() throws {
        send("hello", from: client)
        try pump()
        let message = String(repeating: "c", count: 100)
        for _ in 0..<50 { send(message, from: server) }
        let output = server.takeOutput()
        #expect(recordLengths(output).count == 1)
        let plaintext = try #require(output.withUnsafeBytes { client.received($0) })
        #expect(plaintext == Array(String(repeating: message, count: 50).utf8))
    }

    @Test func aTamperedRecordBreaksTheStream() throws {
        send("hello", from: client)
        try pump()
        send("secret", from: server)
        var output = server.takeOutput()
        output[output.count - 1] ^= 1
        #expect(output.withUnsafeBytes { client.received($0) } == nil)
    }

    @Test func finishSendsCloseNotifyAndWhatCameBeforeItStillCounts() throws {
        send("hello", from: client)
        try pump()
        send("bye", from: server)
        server.finish()
        send("dropped", from: server)
        let output = server.takeOutput()
        #expect(output.withUnsafeBytes { client.received($0) } == Array("bye".utf8))
    }
}
