/// The configuration flags of `huddle serve`, which win over the environment
/// and the file. `nil` means the flag was not given.
public struct CommandLineOverrides: Equatable, Sendable {
    /// `--host`: `server.host`.
    public var host: String?
    /// `--port`: `server.port`.
    public var port: Int?
    /// `--storage`: `storage.postgres_url` when it is a `postgres://` or
    /// `postgresql://` URL, else `storage.path`. Either way it chooses the
    /// backend, whatever the file or the environment chose.
    public var storage: String?

    public init(host: String? = nil, port: Int? = nil, storage: String? = nil) {
        self.host = host
        self.port = port
        self.storage = storage
    }
}
