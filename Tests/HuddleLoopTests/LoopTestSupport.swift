import HuddleLoop
import Testing

/// Upper bound on a test's loop run: only a safety stop so a broken test
/// ends instead of hanging; no test asserts on elapsed time.
let watchdogMs: UInt64 = 10_000

/// Runs `loop` on the calling thread until nothing keeps it alive, then
/// closes every handle left and the loop itself. Returns false if the
/// watchdog had to stop it.
func runUntilIdle(_ loop: EventLoop) -> Bool {
    var stoppedByWatchdog = false
    let watchdog = LoopTimer(loop: loop)
    watchdog.keepsLoopAlive = false
    watchdog.start(afterMs: watchdogMs) {
        stoppedByWatchdog = true
        loop.stop()
    }
    loop.run()
    loop.closeAll()
    return !stoppedByWatchdog
}

/// Listens on a free loopback port, connects to it, and calls `body` with
/// both ends once both exist. The listener closes after its one accept.
func withConnectedPair(on loop: EventLoop,
                       _ body: @escaping (_ server: TCPConnection, _ client: TCPConnection) -> Void) throws {
    var server: TCPConnection?
    var client: TCPConnection?
    func startIfBothReady() {
        if let server, let client {
            body(server, client)
        }
    }
    var listener: TCPListener?
    listener = try TCPListener(loop: loop, host: "127.0.0.1", port: 0) { accepted in
        listener?.close()
        server = accepted
        startIfBothReady()
    }
    TCPConnection.connect(loop: loop, host: "127.0.0.1", port: listener!.port) { result in
        switch result {
        case .success(let connected):
            client = connected
            startIfBothReady()
        case .failure(let error):
            listener?.close()
            Issue.record("connect failed: \(error)")
        }
    }
}

/// Reads until the connection closes, collecting the bytes and the close reason.
final class ByteCollector {
    private(set) var bytes: [UInt8] = []
    private(set) var readCount = 0
    private(set) var closeReasons: [LoopError?] = []

    init(_ connection: TCPConnection, startReading: Bool = true) {
        connection.onRead = { [unowned self] chunk in
            readCount += 1
            bytes.append(contentsOf: chunk)
        }
        connection.onClose = { [unowned self] reason in
            closeReasons.append(reason)
        }
        if startReading {
            connection.startReading()
        }
    }
}
