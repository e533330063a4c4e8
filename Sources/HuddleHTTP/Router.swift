/// Maps (method, path) to a handler by patterns like
/// `/api/workspaces/{ws}/presence`.
///
/// Matching is segment by segment on the raw path split at `/`, so an
/// encoded slash (`%2F`) stays inside its segment. Each segment is then
/// percent-decoded: a literal segment matches its decoded form (so
/// `/%68ealthz` is `/healthz`), a `{name}` segment captures it and must not
/// be empty. A segment that does not decode (bad `%XX`, invalid UTF-8)
/// matches nothing, so such a path is `notFound`. Trailing slashes count
/// (`/healthz/` is not `/healthz`). Routes are tried in the order added; the
/// first whose pattern and method match wins. HEAD is served by GET routes
/// unless a HEAD route exists.
public struct Router<Handler> {
    fileprivate enum Segment: Equatable, Sendable {
        case literal(String)
        case parameter(String)
    }

    fileprivate struct Route {
        let method: String
        let segments: [Segment]
        let handler: Handler
    }

    private var routes: [Route] = []

    public init() {}

    public mutating func add(_ method: String, _ pattern: String, _ handler: Handler) {
        precondition(pattern.hasPrefix("/"), "route pattern must start with '/': \(pattern)")
        let segments = Router.rawSegments(pattern).map { raw -> Segment in
            raw.hasPrefix("{") && raw.hasSuffix("}") && raw.count > 2
                ? .parameter(String(raw.dropFirst().dropLast()))
                : .literal(String(raw))
        }
        routes.append(Route(method: method, segments: segments, handler: handler))
    }

    public func match(method: String, path: String) -> RouteMatch<Handler> {
        guard path.hasPrefix("/") else { return .notFound }
        var decoded: [String] = []
        for raw in Router.rawSegments(path) {
            guard let segment = PercentDecoding.decode(raw) else { return .notFound }
            decoded.append(segment)
        }
        var allowed: Set<String> = []
        var getFallback: (Handler, [String: String])?
        for route in routes {
            guard let parameters = Router.bind(route.segments, to: decoded) else { continue }
            if route.method == method { return .matched(route.handler, parameters: parameters) }
            if method == "HEAD" && route.method == "GET" && getFallback == nil { getFallback = (route.handler, parameters) }
            allowed.insert(route.method)
        }
        if let (handler, parameters) = getFallback { return .matched(handler, parameters: parameters) }
        guard !allowed.isEmpty else { return .notFound }
        if allowed.contains("GET") { allowed.insert("HEAD") }
        return .methodNotAllowed(allowed: allowed.sorted())
    }

    /// The segments after the leading `/`, empty ones kept.
    private static func rawSegments(_ path: String) -> [Substring] {
        path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
    }

    private static func bind(_ pattern: [Segment], to segments: [String]) -> [String: String]? {
        guard pattern.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (expected, actual) in zip(pattern, segments) {
            switch expected {
            case .literal(let literal):
                guard literal == actual else { return nil }
            case .parameter(let name):
                guard !actual.isEmpty else { return nil }
                parameters[name] = actual
            }
        }
        return parameters
    }
}

extension Router: Sendable where Handler: Sendable {}
extension Router.Route: Sendable where Handler: Sendable {}
