@testable import HuddleLoop
import Foundation
import Testing


/// Larger than the kernel's socket buffers on loopback (a few MiB while the
/// reader is idle), so the write has to wait for the reader.
let largeWriteSize = 16 * 1024 * 1024

/// A block of a prime length, so a byte lost or repeated anywhere in a
/// large transfer shifts everything after it out of step.
private let patternBlock: [UInt8] = (0..<4093).map { UInt8(truncatingIfNeeded: $0 &* 7) }

private func patternBuffer(count: Int) -> OutboundBuffer {
    OutboundBuffer(count: count) { bytes in
        patternBlock.withUnsafeBytes { block in
            for start in stride(from: 0, to: count, by: block.count) {
                let length = min(block.count, count - start)
                bytes.baseAddress!.advanced(by: start).copyMemory(from: block.baseAddress!, byteCount: length)
            }
        }
    }
}

private func followsPattern(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { received in
        patternBlock.withUnsafeBytes { block in
            stride(from: 0, to: received.count, by: block.count).allSatisfy { start in
                let length = min(block.count, received.count - start)
                return memcmp(received.baseAddress! + start, block.baseAddress!, length) == 0
            }
        }
    }
}

@Suite struct TCPConnectionTests {
    @Test func echoRoundTripReturnsTheSentBytes() throws {
        let loop = try EventLoop()
        var received: [UInt8] = []
        var listener: TCPListener?
        listener = try TCPListener(loop: loop, host: "127.0.0.1", port: 0) { connection in
            connection.onRead = { chunk in connection.write(Array(chunk)) }
            connection.startReading()
        }
        TCPConnection.connect(loop: loop, host: "127.0.0.1", port: listener!.port) { result in
            guard case .success(let client) = result else {
                Issue.record("connect failed: \(result)")
                listener?.close()
                return
            }
            client.onRead = { chunk in
                received.append(contentsOf: chunk)
                if received.count == 5 {
                    client.close()
                    listener?.close()
                }
            }
            client.startReading()
            client.write(Array("hello".utf8))
        }
        #expect(runUntilIdle(loop))
        #expect(received == Array("hello".utf8))
    }

    @Test func endOfStreamFromPeerClosesWithoutError() throws {
        let loop = try EventLoop()
        var serverSide: ByteCollector?
        try withConnectedPair(on: loop) { server, client in
            serverSide = ByteCollector(server)
            client.close()
        }
        #expect(runUntilIdle(loop))
        #expect(serverSide?.closeReasons.count == 1)
        #expect(serverSide?.closeReasons.first == .some(nil))
    }

    @Test func smallWritesInOneTurnArriveInOrderInOneFlush() throws {
        let loop = try EventLoop()
        let writeCount = 1000
        var clientSide: ByteCollector?
        var serverFlushCount = 0
        var serverConnection: TCPConnection?
        try withConnectedPair(on: loop) { server, client in
            clientSide = ByteCollector(client)
            serverConnection = server
            server.onClose = { _ in serverFlushCount = server.flushCount }
            for index in 0..<writeCount {
                server.write(withUnsafeBytes(of: UInt32(index).bigEndian) { Array($0) })
            }
            server.closeAfterFlush()
        }
        #expect(runUntilIdle(loop))
        #expect(serverConnection != nil)
        let bytes = clientSide?.bytes ?? []
        let decoded = stride(from: 0, to: bytes.count, by: 4).map { offset in
            bytes[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        }
        #expect(decoded == (0..<UInt32(writeCount)).map { $0 })
        #expect(serverFlushCount == 1)
        #expect(clientSide?.closeReasons == [nil])
    }

    @Test func batchedOutputWaitsForTheDelayThenLeavesInOneFlush() throws {
        let loop = try EventLoop()
        loop.batchDelayMs = 5
        var received: [UInt8] = []
        var serverFlushCount = 0
        let secondTurn = LoopTimer(loop: loop)
        try withConnectedPair(on: loop) { server, client in
            server.onClose = { _ in serverFlushCount = server.flushCount }
            server.writeBatched(OutboundBuffer(Array("ab".utf8)))
            secondTurn.start(afterMs: 1) {
                secondTurn.close()
                server.writeBatched(OutboundBuffer(Array("cd".utf8)))
            }
            // Nothing but the batch timer sends these bytes.
            client.onRead = { chunk in
                received.append(contentsOf: chunk)
                if received.count == 4 {
                    client.close()
                    server.close()
                }
            }
            client.startReading()
        }
        #expect(runUntilIdle(loop))
        #expect(String(decoding: received, as: UTF8.self) == "abcd")
        #expect(serverFlushCount == 1)
    }

    @Test func aPlainWriteTakesBatchedOutputAlong() throws {
        let loop = try EventLoop()
        // Far past the watchdog: only the plain write can send the batch.
        loop.batchDelayMs = 60_000
        var clientSide: ByteCollector?
        var serverFlushCount = 0
        let laterTurn = LoopTimer(loop: loop)
        try withConnectedPair(on: loop) { server, client in
            clientSide = ByteCollector(client)
            server.onClose = { _ in serverFlushCount = server.flushCount }
            server.writeBatched(OutboundBuffer(Array("relay ".utf8)))
            laterTurn.start(afterMs: 1) {
                laterTurn.close()
                server.write(Array("ack".utf8))
                server.closeAfterFlush()
            }
        }
        #expect(runUntilIdle(loop))
        #expect(String(decoding: clientSide?.bytes ?? [], as: UTF8.self) == "relay ack")
        #expect(serverFlushCount == 1)
    }

    @Test func writeFromTimerCallbackIsFlushedBeforeTheLoopWaits() throws {
        // Nothing but the flush can wake this loop after the timer fires:
        // a write left for a post-poll phase would sit until the watchdog.
        let loop = try EventLoop()
        var clientSide: ByteCollector?
        let sendLater = LoopTimer(loop: loop)
        try withConnectedPair(on: loop) { server, client in
            clientSide = ByteCollector(client)
            sendLater.start(afterMs: 1) {
                sendLater.close()
                server.write(Array("tick".utf8))
                server.closeAfterFlush()
            }
        }
        #expect(runUntilIdle(loop))
        #expect(clientSide?.bytes == Array("tick".utf8))
    }

    @Test func largeWriteToSlowReaderCompletesAndPendingBytesReturnToZero() throws {
        let loop = try EventLoop()
        var clientSide: ByteCollector?
        var pendingWhileReaderIdle = 0
        var backlogWhileReaderIdle = 0
        var queuedThisTurnIsNotBacklog: Bool?
        var pendingAtClose: Int?
        var serverCloseReasons: [LoopError?] = []
        let readerDelay = LoopTimer(loop: loop)
        try withConnectedPair(on: loop) { server, client in
            clientSide = ByteCollector(client, startReading: false)
            server.onClose = { reason in
                serverCloseReasons.append(reason)
                pendingAtClose = server.pendingWriteBytes
            }
            server.write(patternBuffer(count: largeWriteSize))
            queuedThisTurnIsNotBacklog = server.pendingWriteBytes == largeWriteSize && server.backlogBytes == 0
            server.closeAfterFlush()
            readerDelay.start(afterMs: 50, repeatMs: 10) {
                // Under a sanitizer the first loop turn can outlast 50 ms: wait for the flush.
                guard server.backlogBytes > 0 else { return }
                pendingWhileReaderIdle = server.pendingWriteBytes
                backlogWhileReaderIdle = server.backlogBytes
                readerDelay.close()
                client.startReading()
            }
        }
        #expect(runUntilIdle(loop))
        #expect(pendingWhileReaderIdle > 0)
        #expect(queuedThisTurnIsNotBacklog == true)
        #expect(backlogWhileReaderIdle == pendingWhileReaderIdle)
        #expect(pendingAtClose == 0)
        #expect(serverCloseReasons == [nil])
        let bytes = clientSide?.bytes ?? []
        #expect(bytes.count == largeWriteSize)
        #expect(followsPattern(bytes))
    }

    @Test func peerVanishingWhileWritesArePendingClosesOnceWithAnError() throws {
        let loop = try EventLoop()
        var serverCloseReasons: [LoopError?] = []
        try withConnectedPair(on: loop) { server, client in
            server.onClose = { reason in
                serverCloseReasons.append(reason)
                // Late writes and closes from the close handler are harmless.
                server.write([1, 2, 3])
                server.close()
            }
            server.write(patternBuffer(count: largeWriteSize))
            client.close()
        }
        #expect(runUntilIdle(loop))
        #expect(serverCloseReasons.count == 1)
        #expect(serverCloseReasons.first.flatMap { $0 } != nil)
    }

    @Test func closeInsideOnReadStopsDeliveryAndClosesOnce() throws {
        let loop = try EventLoop()
        var serverReads = 0
        var serverCloseReasons: [LoopError?] = []
        var clientSide: ByteCollector?
        try withConnectedPair(on: loop) { server, client in
            server.onRead = { _ in
                serverReads += 1
                server.close()
            }
            server.onClose = { serverCloseReasons.append($0) }
            server.startReading()
            clientSide = ByteCollector(client)
            // More than one read buffer's worth, so libuv would read again
            // in the same turn if the close did not stop it.
            client.write([UInt8](repeating: 0x5A, count: 4 * EventLoop.readBufferSize))
        }
        #expect(runUntilIdle(loop))
        #expect(serverReads == 1)
        #expect(serverCloseReasons == [nil])
        #expect(clientSide?.closeReasons.count == 1)
    }

    @Test func closingTwiceReportsOneClose() throws {
        let loop = try EventLoop()
        var serverCloseReasons: [LoopError?] = []
        var closedRightAway = false
        try withConnectedPair(on: loop) { server, client in
            server.onClose = { serverCloseReasons.append($0) }
            server.close()
            closedRightAway = server.isClosed
            server.close()
            client.close()
            client.close()
        }
        #expect(runUntilIdle(loop))
        #expect(closedRightAway)
        #expect(serverCloseReasons == [nil])
    }

    @Test func writesAfterCloseAreDropped() throws {
        let loop = try EventLoop()
        var pendingAfterLateWrite: Int?
        try withConnectedPair(on: loop) { server, client in
            server.close()
            server.write([1, 2, 3])
            server.write(OutboundBuffer([4, 5, 6]))
            pendingAfterLateWrite = server.pendingWriteBytes
            client.close()
        }
        #expect(runUntilIdle(loop))
        #expect(pendingAfterLateWrite == 0)
    }

    @Test func oneBufferWrittenToManyConnectionsReachesEach() throws {
        let loop = try EventLoop()
        let recipients = 3
        let frame = OutboundBuffer(Array("broadcast".utf8))
        var collectors: [ByteCollector] = []
        for _ in 0..<recipients {
            try withConnectedPair(on: loop) { server, client in
                collectors.append(ByteCollector(client))
                server.write(frame)
                server.closeAfterFlush()
            }
        }
        #expect(runUntilIdle(loop))
        #expect(collectors.count == recipients)
        #expect(collectors.allSatisfy { $0.bytes == Array("broadcast".utf8) && $0.closeReasons == [nil] })
    }

    @Test func peerAddressIsTheLoopbackAddress() throws {
        let loop = try EventLoop()
        var address: String?
        var port: Int?
        try withConnectedPair(on: loop) { server, client in
            address = server.peerAddress
            port = server.peerPort
            server.close()
            client.close()
        }
        #expect(runUntilIdle(loop))
        #expect(address == "127.0.0.1")
        #expect((port ?? 0) > 0)
    }

    @Test func connectingToAClosedPortReportsConnectionRefused() throws {
        let loop = try EventLoop()
        let listener = try TCPListener(loop: loop, host: "127.0.0.1", port: 0) { _ in }
        let port = listener.port
        listener.close()
        var outcome: Result<TCPConnection, LoopError>?
        TCPConnection.connect(loop: loop, host: "127.0.0.1", port: port) { outcome = $0 }
        #expect(runUntilIdle(loop))
        guard case .failure(let error) = outcome else {
            Issue.record("expected a failure, got \(String(describing: outcome))")
            return
        }
        #expect(error.name == "ECONNREFUSED")
    }

    @Test func hostNamesAreResolvedForListenAndConnect() throws {
        let loop = try EventLoop()
        var accepted = 0
        var listener: TCPListener?
        listener = try TCPListener(loop: loop, host: "localhost", port: 0) { connection in
            accepted += 1
            connection.close()
            listener?.close()
        }
        var outcome: Result<TCPConnection, LoopError>?
        TCPConnection.connect(loop: loop, host: "localhost", port: listener!.port) { result in
            outcome = result
            if case .success(let client) = result {
                client.close()
            }
        }
        #expect(runUntilIdle(loop))
        #expect(accepted == 1)
        #expect((try? outcome?.get()) != nil)
    }

    @Test func unknownHostNameReportsAnError() throws {
        let loop = try EventLoop()
        var outcome: Result<TCPConnection, LoopError>?
        TCPConnection.connect(loop: loop, host: "no-such-host.invalid", port: 1) { outcome = $0 }
        #expect(runUntilIdle(loop))
        guard case .failure(let error) = outcome else {
            Issue.record("expected a failure, got \(String(describing: outcome))")
            return
        }
        #expect(error.name.hasPrefix("EAI_"))
    }

    @Test func listeningOnAPortInUseThrows() throws {
        let loop = try EventLoop()
        let first = try TCPListener(loop: loop, host: "127.0.0.1", port: 0) { _ in }
        #expect(throws: LoopError.self) {
            _ = try TCPListener(loop: loop, host: "127.0.0.1", port: first.port) { _ in }
        }
        first.close()
        #expect(runUntilIdle(loop))
    }
}
