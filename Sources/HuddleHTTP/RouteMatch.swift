/// What a `Router` found for a method and path.
public enum RouteMatch<Handler> {
    /// A route for this path and method; `parameters` are the `{name}`
    /// segments, percent-decoded.
    case matched(Handler, parameters: [String: String])
    /// Routes exist for this path, none for this method: answer 405 with
    /// `Allow: allowed.joined(separator: ", ")`. Sorted; HEAD is listed when GET is.
    case methodNotAllowed(allowed: [String])
    case notFound
}

extension RouteMatch: Sendable where Handler: Sendable {}
