import HuddleCore
import HuddleHTTP
import HuddleJSON
import HuddleLoop
import HuddlePluginKit

/// The server API for a CRM's backend (docs/protocol.md §12): publish to a
/// workspace, remove a user, list workspaces and sessions. An API key opens
/// it, never a user's token; in cluster mode each endpoint covers every node.
extension HuddleServer {
    func answerServerAPI(_ endpoint: Endpoint, _ request: HTTPRequest, workspace: String?, user: String?,
                         on connection: Connection) {
        if case .failure(let rejection) = authenticator.serverAPIIdentity(request) {
            return connection.respond(rejection.response, to: request)
        }
        switch endpoint {
        case .publish: publish(request, workspace: workspace!, on: connection)
        case .disconnectFromWorkspace: disconnect(request, user: nil, workspace: workspace, on: connection)
        case .disconnectUser: disconnect(request, user: user, workspace: nil, on: connection)
        case .workspaces: listWorkspaces(request, on: connection)
        case .sessions: listSessions(workspace: workspace!, request, on: connection)
        default: connection.respond(Rejection.notFound.response, to: request)
        }
    }

    // MARK: Publish

    private func publish(_ request: HTTPRequest, workspace: String, on connection: Connection) {
        guard let body = try? JSONParser.parse(request.body), case .object(let fields) = body else {
            return connection.respond(Self.invalid("the body must be a JSON object", field: nil), to: request)
        }
        guard let type = fields["type"]?.stringValue, AppEvents.isValidType(type) else {
            return connection.respond(Self.invalid("type must be app.<name> (1-64 letters, digits, _ . -)", field: "type"),
                                      to: request)
        }
        let data = fields["data"] ?? .object([:])
        guard case .object(let members) = data else {
            return connection.respond(Self.invalid("data must be an object", field: "data"), to: request)
        }
        let durable = fields["durable"]?.boolValue ?? false
        guard durable else {
            let (effects, message) = hub.appMessage(type: type, data: data, workspace: workspace)
            apply(effects)
            cluster?.publishApp(workspace: workspace, message: message)
            return connection.respond(.json(200, #"{"type":"ack","durable":false}"#.utf8.map { $0 }), to: request)
        }
        let pluginRequest = PluginRequest(type: type, data: members, user: Authenticator.serverIdentity.pluginUser,
                                          session: nil, workspace: workspace)
        connection.awaitingResponse = true
        commit(pluginRequest, pluginName: AppEvents.name, handle: AppEvents.handler, started: EventLoop.hrtimeNanos()) { reply in
            let answer = Self.answer(reply, id: nil)
            connection.respondLater(.json(answer.status, answer.message.bytes), to: request)
        }
    }

    // MARK: Disconnect

    private func disconnect(_ request: HTTPRequest, user pathUser: String?, workspace: String?, on connection: Connection) {
        var user = pathUser
        if user == nil, let body = try? JSONParser.parse(request.body) { user = body["user"]?.stringValue }
        guard let user, Authenticator.userPattern.matches(user) else {
            return connection.respond(Self.invalid("user must be a user id", field: "user"), to: request)
        }
        let (effects, count) = hub.removeUser(user, workspace: workspace, now: now())
        apply(effects)
        cluster?.publishRemoval(of: user, workspace: workspace)
        let answer: JSONValue = ["type": "ack", "user": .string(user), "sessions": .int(count)]
        connection.respond(.json(200, answer.encoded()), to: request)
    }

    // MARK: Lists

    static let defaultListLimit = 100
    static let maxListLimit = 1000

    /// `GET /api/workspaces?cursor=…&limit=…`: by id; `next` is the cursor of the next page.
    private func listWorkspaces(_ request: HTTPRequest, on connection: Connection) {
        guard let limit = EventsQuery.integer(request.queryValue("limit"), default: Self.defaultListLimit), limit >= 1 else {
            return connection.respond(Self.invalid("limit must be a positive integer", field: "limit"), to: request)
        }
        let after = request.queryValue("cursor") ?? ""
        let pageSize = min(limit, Self.maxListLimit)
        func answer(_ counts: [(id: String, users: Int, sessions: Int)]) -> HTTPResponse {
            let page = counts.filter { $0.id > after }.prefix(pageSize)
            let rows: [JSONValue] = page.map { ["workspace": .string($0.id), "users": .int($0.users), "sessions": .int($0.sessions)] }
            let next: JSONValue = page.count == pageSize && counts.last?.id != page.last?.id ? .string(page.last!.id) : .null
            return .json(200, JSONValue.object(["workspaces": .array(rows), "next": next]).encoded())
        }
        guard let cluster else { return connection.respond(answer(hub.workspaceCounts), to: request) }
        connection.awaitingResponse = true
        cluster.everyWorkspace { names in
            let page = Array(names.filter { $0 > after }.sorted().prefix(pageSize + 1))
            cluster.withEveryNodesSessions(in: page) { scratch in
                connection.respondLater(answer(scratch.workspaceCounts), to: request)
            }
        }
    }

    /// `GET /api/workspaces/{ws}/sessions`.
    private func listSessions(workspace: String, _ request: HTTPRequest, on connection: Connection) {
        guard let cluster, (hub.workspace(workspace)?.localSessionCount ?? 0) == 0 else {
            return connection.respond(.json(200, hub.sessionsDocument(workspace: workspace)), to: request)
        }
        connection.awaitingResponse = true
        cluster.withEveryNodesSessions(in: [workspace]) { scratch in
            connection.respondLater(.json(200, scratch.sessionsDocument(workspace: workspace)), to: request)
        }
    }

    private static func invalid(_ message: String, field: String?) -> HTTPResponse {
        let details = field.map { [($0, "invalid_format")] } ?? []
        return .json(400, Hub.errorMessage(code: "validation_failed", message: message, id: nil, details: details).bytes)
    }
}
