import HuddleHTTP

/// Every HTTP endpoint of PROTOCOL.md §9 (static client files are served
/// for paths no route claims).
enum Endpoint {
    case health, metrics, presence, events, messages, webSocket, echo
    // The server API for backends (docs/protocol.md §12).
    case publish, disconnectFromWorkspace, disconnectUser, workspaces, sessions

    static func router(echoEnabled: Bool) -> Router<Endpoint> {
        var router = Router<Endpoint>()
        router.add("GET", "/healthz", .health)
        router.add("GET", "/metrics", .metrics)
        router.add("GET", "/api/workspaces/{ws}/presence", .presence)
        router.add("GET", "/api/workspaces/{ws}/events", .events)
        router.add("POST", "/api/workspaces/{ws}/messages", .messages)
        router.add("GET", "/ws/{ws}", .webSocket)
        router.add("POST", "/api/workspaces/{ws}/publish", .publish)
        router.add("POST", "/api/workspaces/{ws}/disconnect", .disconnectFromWorkspace)
        router.add("POST", "/api/users/{user}/disconnect", .disconnectUser)
        router.add("GET", "/api/workspaces", .workspaces)
        router.add("GET", "/api/workspaces/{ws}/sessions", .sessions)
        if echoEnabled { router.add("GET", "/echo", .echo) }
        return router
    }
}

/// PROTOCOL.md §1: `[A-Za-z0-9][A-Za-z0-9_.-]{0,63}` after percent-decoding.
enum WorkspaceName {
    private static let first = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
    private static let rest = first.union("_.-".utf8)
    static let maxLength = 64

    static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let head = bytes.first, bytes.count <= maxLength, first.contains(head) else { return false }
        return bytes.dropFirst().allSatisfy(rest.contains)
    }
}
