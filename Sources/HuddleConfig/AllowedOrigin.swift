/// The rules for one `auth.allowed_origins` entry: `*`, or an exact
/// `scheme://host[:port]` as browsers send it in the `Origin` header.
public enum AllowedOrigin {
    /// The entry that allows every origin.
    public static let anyOrigin = "*"

    /// Why `entry` is not a valid allowlist entry, or `nil` if it is.
    public static func problem(with entry: String) -> String? {
        if entry == anyOrigin { return nil }
        let expected = "\"\(entry)\" is not \"*\" or an exact scheme://host[:port] (no path, no trailing slash)"
        guard let separator = entry.range(of: "://") else { return expected }
        let scheme = entry[..<separator.lowerBound]
        let authority = entry[separator.upperBound...]
        guard isScheme(scheme), let (host, port) = splitAuthority(authority),
            isHost(host), port.map(isPort) ?? true
        else { return expected }
        return nil
    }

    private static func isScheme(_ scheme: Substring) -> Bool {
        guard let first = scheme.first, first.isASCII, first.isLetter else { return false }
        return scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
    }

    /// Splits `host[:port]`, keeping a bracketed IPv6 host (`[::1]:8080`) whole.
    private static func splitAuthority(_ authority: Substring) -> (Substring, Substring?)? {
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            let host = authority[...close]
            let rest = authority[authority.index(after: close)...]
            if rest.isEmpty { return (host, nil) }
            guard rest.hasPrefix(":") else { return nil }
            return (host, rest.dropFirst())
        }
        guard let colon = authority.lastIndex(of: ":") else { return (authority, nil) }
        return (authority[..<colon], authority[authority.index(after: colon)...])
    }

    private static func isHost(_ host: Substring) -> Bool {
        if host.hasPrefix("[") {
            return host.count > 2 && host.dropFirst().dropLast().allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        }
        return !host.isEmpty && host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-.".contains($0)) }
    }

    private static func isPort(_ port: Substring) -> Bool {
        guard !port.isEmpty, port.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(port) else { return false }
        return HuddleConfig.Server.portRange.contains(number)
    }
}
