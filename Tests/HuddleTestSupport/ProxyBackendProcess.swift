import Foundation

/// A Python HTTP server of the tests (a proxy plugin's backend, a webhook
/// receiver: another language on purpose), started on a loopback port for one
/// test and stopped with it. The script prints its port first.
public final class PythonTestServer {
    public let port: Int
    private let process = Process()

    /// `script` is relative to Tests/, e.g. `proxy-backend/backend.py`.
    public init(script: String, arguments: [String]) throws {
        guard let port = try PythonHelper.start(process, script: script, arguments: arguments) else {
            throw ProxyBackendProcess.BackendDidNotStart()
        }
        self.port = port
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }
}

/// The Python proxy backend of Tests/proxy-backend, signing with `secret`.
public final class ProxyBackendProcess {
    private let server: PythonTestServer
    public var port: Int { server.port }

    public init(secret: String) throws {
        server = try PythonTestServer(script: "proxy-backend/backend.py", arguments: [secret])
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
