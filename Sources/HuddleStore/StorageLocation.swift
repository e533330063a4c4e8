/// Where the store keeps its data.
public enum StorageLocation: Sendable, Equatable {
    /// A SQLite file; its directories are created.
    case sqlite(path: String)
    /// A PostgreSQL database: `url` is what libpq connects with,
    /// `redacted` the same without its password, for logs and errors.
    case postgres(url: String, redacted: String)

    /// How logs and errors name it (never with a password).
    public var displayName: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(_, let redacted): return redacted
        }
    }
}
