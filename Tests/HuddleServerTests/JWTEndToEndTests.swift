import Foundation
import HuddleJSON
import HuddleTestSupport
import Testing
@testable import HuddleServer

/// PROTOCOL.md §1 jwt mode: valid, expired, not yet valid, wrong signature,
/// `alg: none`, wrong workspace, viewer role.
@Suite struct JWTEndToEndTests {
    static let secret = "0123456789abcdef-test-secret"
    let server: ServerProcess
    let jwt = JWT(secret: Array(secret.utf8))
    let now = Date().timeIntervalSince1970

    init() throws {
        server = try ServerProcess(environment: ["HUDDLE_AUTH_MODE": "jwt", "HUDDLE_AUTH_JWT_SECRET": Self.secret])
    }

    private func claims(_ extra: [String: JSONValue] = [:]) -> JSONValue {
        var base: [String: JSONValue] = ["sub": "alice", "name": "Alice", "workspaces": ["acme"], "exp": .int(Int(now) + 600)]
        for (key, value) in extra { base[key] = value }
        return .object(base)
    }

    private func outcome(token: String?, workspace: String = "acme", viaHeader: Bool = false) throws -> (Int, String?) {
        try server.tokenUpgrade(token, workspace: workspace, viaHeader: viaHeader)
    }

    @Test func validTokenInQueryOrHeaderIsAccepted() throws {
        #expect(try outcome(token: jwt.sign(claims())) == (101, "editor"))
        #expect(try outcome(token: jwt.sign(claims()), viaHeader: true) == (101, "editor"))
    }

    @Test func missingTokenIs401() throws {
        #expect(try outcome(token: nil) == (401, "missing_token"))
    }

    @Test func expiredTokenIs401PastTheLeeway() throws {
        #expect(try outcome(token: jwt.sign(claims(["exp": .int(Int(now) - 120)]))) == (401, "token_expired"))
        #expect(try outcome(token: jwt.sign(claims(["exp": .int(Int(now) - 5)]))).0 == 101)
    }

    @Test func notYetValidTokenIs401() throws {
        #expect(try outcome(token: jwt.sign(claims(["nbf": .int(Int(now) + 600)]))) == (401, "token_expired"))
    }

    @Test func wrongSignatureIs401() throws {
        let forged = JWT(secret: Array("another-secret-of-16+".utf8)).sign(claims())
        #expect(try outcome(token: forged) == (401, "invalid_token"))
    }

    @Test func algNoneIs401() throws {
        let header = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8))
        let payload = Base64URL.encode(claims().encoded())
        #expect(try outcome(token: "\(header).\(payload).") == (401, "invalid_token"))
    }

    @Test func unknownRoleIs401() throws {
        #expect(try outcome(token: jwt.sign(claims(["role": "owner"]))) == (401, "invalid_token"))
    }

    @Test func workspaceOutsideTheClaimIs403() throws {
        #expect(try outcome(token: jwt.sign(claims()), workspace: "other") == (403, "workspace_forbidden"))
        #expect(try outcome(token: jwt.sign(claims(["workspaces": ["*"]])), workspace: "other").0 == 101)
        #expect(try outcome(token: jwt.sign(claims(["workspaces": nil])), workspace: "acme") == (403, "workspace_forbidden"))
    }

    @Test func viewerRoleIsCarriedAndCannotWrite() throws {
        let token = jwt.sign(claims(["role": "viewer"]))
        let client = try WebSocketTestClient.connect(port: server.port, path: "/ws/acme?token=\(token)")
        #expect(try client.waitFor(type: "welcome")["user"]?["role"] == "viewer")
        try client.send(json: ["type": "contacts.create", "id": "w1", "data": ["name": "Acme Ltd"]])
        let error = try client.waitFor(type: "error")
        #expect(error["code"] == "forbidden" && error["id"] == "w1")
    }

    @Test func apiEndpointsNeedTheTokenToo() throws {
        #expect(try server.get("/api/workspaces/acme/presence").status == 401)
        let answer = try server.get("/api/workspaces/acme/presence", headers: [("Authorization", "Bearer \(jwt.sign(claims()))")])
        #expect(answer.status == 200 && answer.json?["workspace"] == "acme")
    }

    /// A token in a URL ends up in proxy and access logs, so `/api/*` takes only the header.
    @Test func apiEndpointsIgnoreATokenInTheQuery() throws {
        let token = jwt.sign(claims())
        let answer = try server.get("/api/workspaces/acme/presence?token=\(token)")
        #expect(answer.status == 401 && answer.json?["error"] == "missing_token")
        let events = try server.get("/api/workspaces/acme/events?since=0&token=\(token)")
        #expect(events.status == 401 && events.json?["error"] == "missing_token")
    }
}
