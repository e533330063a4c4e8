import HuddleHTTP
import HuddleJSON

/// An HTTP-layer refusal: a status and `{"error":"<code>", ...}` (PROTOCOL.md §11).
struct Rejection: Error {
    let status: Int
    let code: String
    var headers: [(String, String)] = []
    var extra: [String: JSONValue] = [:]

    static let badWorkspace = Rejection(status: 400, code: "bad_workspace")
    static let badUser = Rejection(status: 400, code: "bad_user")
    static let badSince = Rejection(status: 400, code: "bad_since")
    static let originNotAllowed = Rejection(status: 403, code: "origin_not_allowed")
    static let missingToken = Rejection(status: 401, code: "missing_token")
    static let invalidToken = Rejection(status: 401, code: "invalid_token")
    static let tokenExpired = Rejection(status: 401, code: "token_expired")
    static let workspaceForbidden = Rejection(status: 403, code: "workspace_forbidden")
    static let notFound = Rejection(status: 404, code: "not_found")
    static let missingAPIKey = Rejection(status: 401, code: "missing_api_key")
    static let invalidAPIKey = Rejection(status: 401, code: "invalid_api_key")
    static let sessionRemoved = Rejection(status: 403, code: "session_removed")

    static func overCapacity(retryAfterSeconds: Int) -> Rejection {
        Rejection(status: 503, code: "over_capacity", headers: [("Retry-After", String(retryAfterSeconds))])
    }

    static func methodNotAllowed(_ allowed: [String]) -> Rejection {
        Rejection(status: 405, code: "method_not_allowed", headers: [("Allow", allowed.joined(separator: ", "))])
    }

    var response: HTTPResponse {
        var body = extra
        body["error"] = .string(code)
        return HTTPResponse.json(status, JSONValue.object(body).encoded(), headers: HTTPHeaders(headers))
    }
}
