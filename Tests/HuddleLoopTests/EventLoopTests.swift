import HuddleLoop
import Testing

@Suite struct EventLoopTests {
    @Test func closeAllClosesOpenConnectionsAndTheLoop() throws {
        let loop = try EventLoop()
        var serverSide: ByteCollector?
        var clientSide: ByteCollector?
        try withConnectedPair(on: loop) { server, client in
            serverSide = ByteCollector(server)
            clientSide = ByteCollector(client)
            loop.stop()
        }
        let watchdog = LoopTimer(loop: loop)
        watchdog.keepsLoopAlive = false
        watchdog.start(afterMs: watchdogMs) { loop.stop() }
        loop.run()
        loop.closeAll()
        #expect(loop.isTornDown)
        #expect(serverSide?.closeReasons == [nil])
        #expect(clientSide?.closeReasons == [nil])
    }

    @Test func errorDescriptionNamesTheError() {
        let error = LoopError(code: -111)
        #expect(error.name == "ECONNREFUSED")
        #expect(error.description.contains("ECONNREFUSED"))
    }
}
