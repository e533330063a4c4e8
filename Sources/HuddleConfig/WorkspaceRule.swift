/// One `[[workspaces]]` block: the plugins that run in workspaces whose id
/// matches `match`.
public struct WorkspaceRule: Equatable, Sendable {
    /// A glob over workspace ids: `*` matches any run of characters (also
    /// none), `?` exactly one; everything else matches itself.
    public var match: String
    /// Plugin names, as in `[plugins.<name>]`.
    public var plugins: [String]

    public init(match: String, plugins: [String]) {
        self.match = match
        self.plugins = plugins
    }

    /// Whether `workspace` matches this block's glob, as a whole.
    public func matches(_ workspace: String) -> Bool {
        let pattern = Array(match)
        let text = Array(workspace)
        var p = 0
        var t = 0
        // Where the last `*` was and how much text it has swallowed so far:
        // on a mismatch, let that star take one more character and retry.
        var lastStar: Int? = nil
        var starText = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "*" {
                lastStar = p
                starText = t
                p += 1
            } else if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if let star = lastStar {
                p = star + 1
                starText += 1
                t = starText
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}

extension WorkspaceRule {
    /// The keys of a `[[workspaces]]` block.
    static let matchKey = "match"
    static let pluginsKey = "plugins"
}
