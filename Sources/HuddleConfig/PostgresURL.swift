import Foundation

/// A `postgres://` or `postgresql://` URL (`storage.postgres_url`, or a URL
/// given to `--storage`). Only its syntax is checked here; libpq connects
/// with the text as given.
public struct PostgresURL: Equatable, Sendable {
    public static let schemes = ["postgres", "postgresql"]

    /// The URL as given, password included: for libpq only.
    public let text: String
    /// The URL without its password, for logs, errors and `check-config`.
    public let redacted: String

    public init?(_ text: String) {
        guard Self.problem(with: text) == nil, var components = URLComponents(string: text) else { return nil }
        self.text = text
        if components.password != nil { components.password = "***" }
        redacted = components.string ?? "postgres://***"
    }

    /// Whether `text` is meant as a PostgreSQL URL rather than a file path.
    public static func looksLikeURL(_ text: String) -> Bool {
        schemes.contains { text.lowercased().hasPrefix($0 + "://") }
    }

    /// Why `text` is not a usable URL, or `nil`. Never repeats the text, which may hold a password.
    public static func problem(with text: String) -> String? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              schemes.contains(scheme) else {
            return "is not a postgres:// or postgresql:// URL (postgres://user:password@host:port/database)"
        }
        guard let host = components.host, !host.isEmpty else { return "names no host (postgres://user:password@host:port/database)" }
        if components.port == nil, text.dropFirst(scheme.count + 3).split(separator: "/").first?.hasSuffix(":") == true {
            return "has an empty port"
        }
        let database = components.path.drop { $0 == "/" }
        guard !database.isEmpty, !database.contains("/") else { return "names no database (…/database at the end)" }
        return nil
    }
}
