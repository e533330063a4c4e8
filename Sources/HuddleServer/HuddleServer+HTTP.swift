import HuddleCore
import HuddleHTTP
import HuddleJSON
import HuddleWebSocket

extension HuddleServer {
    /// Routes one HTTP request (PROTOCOL.md §9).
    func handle(_ request: HTTPRequest, on connection: Connection) {
        switch router.match(method: request.method, path: request.path) {
        case .matched(let endpoint, let parameters):
            if let workspace = parameters["ws"], !WorkspaceName.isValid(workspace) {
                connection.respond(Rejection.badWorkspace.response, to: request)
                return
            }
            let workspace = parameters["ws"] ?? ""
            switch endpoint {
            case .health: connection.respond(healthResponse(), to: request)
            case .metrics: connection.respond(metricsResponse(), to: request)
            case .presence: answerPresence(request, workspace: workspace, on: connection)
            case .events: answerEvents(request, workspace: workspace, on: connection)
            case .messages: answerMessage(request, workspace: workspace, on: connection)
            case .webSocket: upgradeToHuddle(request, workspace: workspace, on: connection)
            case .echo: upgradeToEcho(request, on: connection)
            case .publish, .disconnectFromWorkspace, .disconnectUser, .workspaces, .sessions:
                answerServerAPI(endpoint, request, workspace: parameters["ws"], user: parameters["user"], on: connection)
            }
        case .methodNotAllowed(let allowed):
            connection.respond(Rejection.methodNotAllowed(allowed).response, to: request)
        case .notFound:
            serveStatic(request, on: connection)
        }
    }

    private func serveStatic(_ request: HTTPRequest, on connection: Connection) {
        if let response = staticFiles.response(forPath: request.path, method: request.method,
                                               ifNoneMatch: request.headers["If-None-Match"]) {
            connection.respond(response, to: request)
        } else if staticFiles.hasFile(atPath: request.path) {
            connection.respond(Rejection.methodNotAllowed(["GET", "HEAD"]).response, to: request)
        } else {
            connection.respond(Rejection.notFound.response, to: request)
        }
    }

    private func healthResponse() -> HTTPResponse {
        let healthy = store.isHealthy
        var body: [String: JSONValue] = [
            "status": healthy ? "ok" : "degraded",
            "connections": .int(webSocketCount),
            "workspaces": .int(hub.workspaceCount),
            "uptime_s": .int(uptimeSeconds),
        ]
        // A node cut off from Redis still serves its own sessions: it says so, but is not degraded.
        if let cluster {
            body["cluster"] = ["node": .string(cluster.nodeID), "redis": cluster.isConnected ? "connected" : "disconnected"]
        }
        return .json(healthy ? 200 : 503, JSONValue.object(body).encoded())
    }

    private func answerPresence(_ request: HTTPRequest, workspace: String, on connection: Connection) {
        switch apiIdentity(request, workspace: workspace) {
        case .failure(let rejection): connection.respond(rejection.response, to: request)
        case .success:
            // A node with no session in the workspace does not follow it: Redis knows.
            guard let cluster, (hub.workspace(workspace)?.localSessionCount ?? 0) == 0 else {
                return connection.respond(.json(200, hub.presenceDocument(workspace: workspace)), to: request)
            }
            connection.awaitingResponse = true
            cluster.withEveryNodesSessions(in: [workspace]) { hub in
                connection.respondLater(.json(200, hub.presenceDocument(workspace: workspace)), to: request)
            }
        }
    }

    /// Who an `/api` request acts as: the token's user in jwt mode, `?user=` (default `api`) in dev mode.
    func apiIdentity(_ request: HTTPRequest, workspace: String) -> Result<Identity, Rejection> {
        switch authenticator.apiKeyIdentity(request) {
        case .failure(let rejection): return .failure(rejection)
        case .success(let identity?): return .success(identity)
        case .success(nil): break
        }
        switch authenticator.devIdentity(request, fallbackUser: { Authenticator.defaultAPIUser }) {
        case .failure(let rejection): return .failure(rejection)
        case .success(let identity?): return .success(identity)
        case .success(nil): return authenticator.tokenIdentity(request, workspace: workspace, nowSeconds: wallSeconds(),
                                                                         from: .headerOnly)
        }
    }

    func wallSeconds() -> Double { Double(now().unixMs) / 1000 }
}

extension HuddleServer {
    func metricsResponse() -> HTTPResponse {
        let text = metrics.render(.init(sessions: webSocketCount, httpConnections: httpConnections.count, workspaces: hub.workspaceCount,
                                        storageHealthy: store.isHealthy, clusterConnected: cluster.map(\.isConnected),
                                        tlsEnabled: tlsContext != nil,
                                        webhooks: webhooks.map { ($0.queued, $0.sent, $0.dropped, $0.failedAttempts) }))
        var headers = HTTPHeaders()
        headers.add("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        return HTTPResponse(status: 200, headers: headers, body: Array(text.utf8))
    }
}
