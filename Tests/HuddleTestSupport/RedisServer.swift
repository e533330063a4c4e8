import Foundation

/// A throw-away `redis-server` on a free loopback port, in its own temporary
/// directory, without persistence; killed when the object goes away.
/// `kill()` then `restart()` brings it back on the same port (an outage).
public final class RedisServer {
    public struct StartFailure: Error, CustomStringConvertible {
        public let description: String
    }

    public private(set) var port: Int
    public let password: String?
    private let directory: TemporaryDirectory
    private var process: Process?

    /// `redis://[:password@]127.0.0.1:PORT/0`.
    public var url: String {
        "redis://\(password.map { ":\($0)@" } ?? "")127.0.0.1:\(port)/0"
    }

    /// Starts on a free port; `password` turns on `requirepass`.
    public init(password: String? = nil) throws {
        self.password = password
        directory = try TemporaryDirectory(prefix: "huddle-redis")
        port = 0
        // The port is free when asked, but another process may take it
        // before redis binds it: try a few.
        var lastFailure: Error?
        for _ in 0..<5 {
            port = try Self.freePort()
            do {
                try launch()
                return
            } catch {
                lastFailure = error
            }
        }
        throw lastFailure!
    }

    deinit {
        kill()
    }

    /// SIGKILL: Redis vanishes as in a crash, connections reset.
    public func kill() {
        guard let process, process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Starts again on the same port, with an empty data set.
    public func restart() throws {
        kill()
        try launch()
    }

    private func launch() throws {
        let process = Process()
        process.executableURL = try Self.executable()
        var arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                         "--dir", directory.path, "--logfile", directory.file("redis.log")]
        if let password { arguments += ["--requirepass", password] }
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        try waitUntilAnswering()
    }

    /// Until a PING gets any answer (`+PONG`, or `-NOAUTH` with a password).
    private func waitUntilAnswering() throws {
        let deadline = ContinuousClock.Instant.after(seconds: 10)
        var buffer = [UInt8](repeating: 0, count: 64)
        while ContinuousClock.now < deadline {
            guard let process, process.isRunning else {
                let log = (try? String(contentsOfFile: directory.file("redis.log"), encoding: .utf8)) ?? ""
                throw StartFailure(description: "redis-server on port \(port) exited: \(log.suffix(500))")
            }
            if let socket = try? TestSocket.open(port: port) {
                try socket.write(Array("PING\r\n".utf8))
                if let count = try socket.read(into: &buffer, deadline: deadline), count > 0 { return }
            }
            usleep(20_000)
        }
        kill()
        throw StartFailure(description: "redis-server on port \(port) did not answer within 10 s")
    }

    private static func executable() throws -> URL {
        for path in ["/usr/bin/redis-server", "/usr/local/bin/redis-server"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return URL(fileURLWithPath: path)
        }
        throw StartFailure(description: "redis-server not found: run scripts/install-deps --test (Debian package redis-server)")
    }

    /// A loopback port nobody listens on right now (bind to 0, read, close).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw StartFailure(description: "socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 ? getsockname(descriptor, $0, &length) : -1
            }
        }
        guard status == 0 else { throw StartFailure(description: "cannot find a free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
