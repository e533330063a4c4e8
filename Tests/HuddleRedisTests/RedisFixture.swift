import HuddleLoop
import HuddleRedis
import HuddleTestSupport
import Testing

/// One test's world: a real redis-server of its own, a loop, and links to
/// the server on that loop, retrying fast so outage tests stay short.
final class RedisFixture {
    /// Only a safety stop so a broken test ends instead of hanging; no test
    /// asserts on elapsed time.
    static let watchdogMs: UInt64 = 10_000
    static let options = RedisLinkOptions(connectTimeoutMs: 2_000,
                                          reconnectBackoff: ReconnectBackoff(initialMs: 10, maxMs: 80))

    let server: RedisServer
    let loop: EventLoop

    init(password: String? = nil) throws {
        server = try RedisServer(password: password)
        loop = try EventLoop()
    }

    /// A link to this fixture's server (or to `url`), not started.
    func link(_ url: String? = nil) throws -> RedisLink {
        RedisLink(url: try RedisURL(url ?? server.url), loop: loop, options: Self.options)
    }

    /// Starts `links`, calls `body` once all are connected for the first
    /// time, and runs the loop until nothing is left (`body`, or what it
    /// sets off, must close the links). False if the watchdog stopped it.
    func run(whenConnected links: [RedisLink], _ body: @escaping () -> Void) -> Bool {
        var waiting = links.count
        for link in links {
            link.onStateChange = { state in
                guard state == .connected, link.onStateChange != nil else { return }
                link.onStateChange = nil
                waiting -= 1
                if waiting == 0 { body() }
            }
            link.start()
        }
        return runLoop()
    }

    /// Runs the loop until idle, then closes it. False if the watchdog stopped it.
    func runLoop() -> Bool {
        var stoppedByWatchdog = false
        let watchdog = LoopTimer(loop: loop)
        watchdog.keepsLoopAlive = false
        watchdog.start(afterMs: Self.watchdogMs) { [loop] in
            stoppedByWatchdog = true
            loop.stop()
        }
        loop.run()
        loop.closeAll()
        return !stoppedByWatchdog
    }
}

/// Write system calls made so far by the calling thread (the loop thread in
/// these tests), from /proc/thread-self/io.
func writeCallsOfThisThread() throws -> Int {
    let text = try String(contentsOfFile: "/proc/thread-self/io", encoding: .utf8)
    let line = text.split(separator: "\n").first { $0.hasPrefix("syscw:") }
    return try #require(line.flatMap { Int($0.dropFirst("syscw:".count).trimmingCharacters(in: .whitespaces)) })
}

extension Array where Element == UInt8 {
    init(text: String) { self = Array(text.utf8) }
}
