import HuddleHTTP
import Testing

private func makeRouter() -> Router<String> {
    var router = Router<String>()
    router.add("GET", "/healthz", "health")
    router.add("GET", "/api/workspaces/{ws}/presence", "presence")
    router.add("GET", "/api/workspaces/{ws}/events", "events")
    router.add("POST", "/api/workspaces/{ws}/messages", "messages")
    router.add("GET", "/ws/{workspace}", "websocket")
    return router
}

private func handlerAndParameters(_ match: RouteMatch<String>) -> (String, [String: String])? {
    guard case .matched(let handler, let parameters) = match else { return nil }
    return (handler, parameters)
}

@Test func routeCapturesDecodedParameters() throws {
    let (handler, parameters) = try #require(handlerAndParameters(makeRouter().match(method: "GET", path: "/api/workspaces/team%20one/presence")))
    #expect(handler == "presence")
    #expect(parameters == ["ws": "team one"])
}

@Test func encodedSlashStaysInsideItsSegment() throws {
    let (handler, parameters) = try #require(handlerAndParameters(makeRouter().match(method: "GET", path: "/ws/a%2Fb")))
    #expect(handler == "websocket")
    #expect(parameters == ["workspace": "a/b"])
}

@Test func literalSegmentsMatchTheirEncodedForm() throws {
    #expect(try #require(handlerAndParameters(makeRouter().match(method: "GET", path: "/%68ealthz"))).0 == "health")
}

@Test(arguments: ["/nope", "/healthz/", "/api/workspaces//presence", "/ws/bad%zz", "/ws/%FF", "/ws/a/b", "healthz", ""])
func unknownOrUndecodablePathIsNotFound(path: String) {
    guard case .notFound = makeRouter().match(method: "GET", path: path) else {
        Issue.record("expected notFound for \(path)")
        return
    }
}

@Test func knownPathWithOtherMethodListsAllowedMethods() {
    guard case .methodNotAllowed(let allowed) = makeRouter().match(method: "DELETE", path: "/api/workspaces/w/messages") else {
        Issue.record("expected methodNotAllowed")
        return
    }
    #expect(allowed == ["POST"])
    guard case .methodNotAllowed(let withGet) = makeRouter().match(method: "POST", path: "/healthz") else {
        Issue.record("expected methodNotAllowed")
        return
    }
    #expect(withGet == ["GET", "HEAD"])
}

@Test func headIsServedByTheGetRoute() throws {
    #expect(try #require(handlerAndParameters(makeRouter().match(method: "HEAD", path: "/healthz"))).0 == "health")
}

@Test func explicitHeadRouteWinsOverGet() throws {
    var router = makeRouter()
    router.add("HEAD", "/healthz", "head-health")
    #expect(try #require(handlerAndParameters(router.match(method: "HEAD", path: "/healthz"))).0 == "head-health")
}

@Test func firstAddedRouteWins() throws {
    var router = Router<String>()
    router.add("GET", "/items/new", "literal")
    router.add("GET", "/items/{id}", "parameter")
    #expect(try #require(handlerAndParameters(router.match(method: "GET", path: "/items/new"))).0 == "literal")
    #expect(try #require(handlerAndParameters(router.match(method: "GET", path: "/items/7"))).1 == ["id": "7"])
}
