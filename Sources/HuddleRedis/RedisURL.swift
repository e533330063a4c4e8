/// Where a `RedisLink` connects: `redis://[:password@]host[:port][/db]`.
///
/// Only the `redis` scheme (no TLS: hiredis 0.14 has none), an IPv4 address
/// or host name, a port (default 6379) and a database number (default 0).
/// A user name (Redis 6 ACL) is refused rather than silently ignored, since
/// hiredis 0.14's `AUTH` would send the password alone.
///
/// `description` never shows the password.
public struct RedisURL: Equatable, CustomStringConvertible, Sendable {
    public static let defaultPort = 6379

    public let host: String
    public let port: Int
    public let database: Int
    /// Sent with `AUTH` before anything else on each connection.
    public let password: String?

    public init(host: String, port: Int = RedisURL.defaultPort, database: Int = 0, password: String? = nil) {
        self.host = host
        self.port = port
        self.database = database
        self.password = password
    }

    /// Parses and validates `text`; the error names what is wrong.
    public init(_ text: String) throws(RedisURLError) {
        let scheme = "redis://"
        guard text.hasPrefix(scheme) else { throw .notRedisScheme }
        var rest = Substring(text.dropFirst(scheme.count))

        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            guard userInfo.first == ":" else { throw .userNameNotSupported }
            password = try Self.percentDecoded(userInfo.dropFirst())
            if password?.isEmpty == true { password = nil }
        }

        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !path.isEmpty {
                guard let number = Int(path), number >= 0 else { throw .badDatabase(String(path)) }
                database = number
            }
        }

        var port = Self.defaultPort
        if let colon = rest.lastIndex(of: ":") {
            let portText = rest[rest.index(after: colon)...]
            rest = rest[..<colon]
            guard let number = Int(portText), (1...65535).contains(number) else { throw .badPort(String(portText)) }
            port = number
        }

        guard !rest.isEmpty else { throw .missingHost }
        guard rest.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" }) else {
            throw .badHost(String(rest))
        }
        self.init(host: String(rest), port: port, database: database, password: password)
    }

    public var description: String {
        "redis://\(password == nil ? "" : ":***@")\(host):\(port)/\(database)"
    }

    /// `%XX` escapes, so a password may hold `@`, `:` or `/`.
    private static func percentDecoded(_ text: Substring) throws(RedisURLError) -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                  let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else {
                throw .badPasswordEscape
            }
            bytes.append(value)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
