/// Why a Redis URL was refused. The password never appears in the message.
public enum RedisURLError: Error, Equatable, CustomStringConvertible {
    case notRedisScheme
    case userNameNotSupported
    case badPasswordEscape
    case missingHost
    case badHost(String)
    case badPort(String)
    case badDatabase(String)

    public var description: String {
        let shape = "expected redis://[:password@]host[:port][/db]"
        switch self {
        case .notRedisScheme: return "the URL must start with redis:// (\(shape))"
        case .userNameNotSupported: return "a user name is not supported, only a password: redis://:password@host (\(shape))"
        case .badPasswordEscape: return "the password has a bad %-escape; write %XX with two hex digits"
        case .missingHost: return "the URL names no host (\(shape))"
        case .badHost(let host): return "bad host \"\(host)\": letters, digits, '.', '-' and '_' only"
        case .badPort(let port): return "bad port \"\(port)\": a number from 1 to 65535"
        case .badDatabase(let db): return "bad database \"\(db)\": a number from 0 up"
        }
    }
}
