/// The forms of request-target (RFC 9112 §3.2) this server accepts.
enum RequestTarget {
    private static let absoluteSchemes = ["http://", "https://"]

    /// The path and query of `target`, or nil when it is none of:
    /// origin-form (`/p?q`), absolute-form (`http://host/p?q`, path defaults
    /// to `/`) or asterisk-form (`*`, only for OPTIONS). Authority-form
    /// (CONNECT) is not served.
    static func split(_ target: String, method: String) -> (path: Substring, query: Substring?)? {
        if target == "*" { return method == "OPTIONS" ? (target[...], nil) : nil }
        if target.hasPrefix("/") { return splitQuery(target[...]) }
        guard let scheme = absoluteSchemes.first(where: { hasPrefixIgnoringCase(target, $0) }) else { return nil }
        let afterScheme = target.dropFirst(scheme.count)
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" } ?? afterScheme.endIndex
        guard authorityEnd != afterScheme.startIndex else { return nil }
        let rest = afterScheme[authorityEnd...]
        guard rest.hasPrefix("/") else {
            return ("/", rest.isEmpty ? nil : rest.dropFirst())
        }
        return splitQuery(rest)
    }

    private static func splitQuery(_ pathAndQuery: Substring) -> (path: Substring, query: Substring?) {
        guard let mark = pathAndQuery.firstIndex(of: "?") else { return (pathAndQuery, nil) }
        return (pathAndQuery[..<mark], pathAndQuery[pathAndQuery.index(after: mark)...])
    }

    private static func hasPrefixIgnoringCase(_ text: String, _ prefix: String) -> Bool {
        text.utf8.count >= prefix.utf8.count
            && HTTPSyntax.equalsIgnoringCase(String(decoding: text.utf8.prefix(prefix.utf8.count), as: UTF8.self), prefix)
    }
}
