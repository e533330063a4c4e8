/// The configuration flags of `huddle serve`, which win over the environment
/// and the file. `nil` means the flag was not given.
public struct CommandLineOverrides: Equatable, Sendable {
    /// `--host`: `server.host`.
    public var host: String?
    /// `--port`: `server.port`.
    public var port: Int?
    /// `--storage`: `storage.path`.
    public var storagePath: String?

    public init(host: String? = nil, port: Int? = nil, storagePath: String? = nil) {
        self.host = host
        self.port = port
        self.storagePath = storagePath
    }
}
