import Foundation

/// The Python proxy backend of Tests/proxy-backend, started on a free
/// loopback port for one test and stopped with it.
public final class ProxyBackendProcess {
    public let port: Int
    private let process = Process()

    /// Starts the backend, which signs with `secret`, and waits for its port.
    public init(secret: String) throws {
        guard let port = try PythonHelper.start(process, script: "proxy-backend/backend.py", arguments: [secret]) else {
            throw BackendDidNotStart()
        }
        self.port = port
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }

    public struct BackendDidNotStart: Error {}

    /// A loopback port nothing listens on: bound by the kernel's choice, then closed.
    public static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw BackendDidNotStart() }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
