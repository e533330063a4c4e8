@testable import HuddleLoop
import Testing

/// `closeLingering`: the last write reaches a peer that is still sending.
@Suite struct TCPConnectionLingeringTests {
    @Test func peerFinishesSendingThenReadsTheLastWrite() throws {
        let loop = try EventLoop()
        var serverCloseReasons: [LoopError?] = []
        var clientSide: ByteCollector?
        let poll = LoopTimer(loop: loop)
        try withConnectedPair(on: loop) { server, client in
            server.onRead = { _ in
                server.write(Array("bye".utf8))
                server.closeLingering(timeoutMs: watchdogMs)
            }
            server.onClose = { serverCloseReasons.append($0) }
            server.startReading()
            // Far more than the socket buffers hold, so most of it is sent after
            // the server's last write: a server that closed instead of lingering
            // would answer it with a reset, failing the client's write.
            clientSide = ByteCollector(client, startReading: false)
            client.write([UInt8](repeating: 0x5A, count: 8 * 1024 * 1024))
            poll.start(afterMs: 1, repeatMs: 1) {
                guard client.pendingWriteBytes == 0 || client.isClosed else { return }
                poll.close()
                client.startReading()
            }
        }
        #expect(runUntilIdle(loop))
        #expect(clientSide?.closeReasons == [nil])
        #expect(clientSide?.bytes == Array("bye".utf8))
        #expect(serverCloseReasons == [nil])
    }

    @Test func closesAfterTheTimeoutWhenThePeerNeverEndsItsSide() throws {
        let loop = try EventLoop()
        var serverCloseReasons: [LoopError?] = []
        try withConnectedPair(on: loop) { server, client in
            // The client never reads, so it never sees the end of stream and never closes.
            server.onClose = { reason in
                serverCloseReasons.append(reason)
                client.close()
            }
            server.write(Array("bye".utf8))
            server.closeLingering(timeoutMs: 20)
        }
        #expect(runUntilIdle(loop))
        #expect(serverCloseReasons == [nil])
    }
}
