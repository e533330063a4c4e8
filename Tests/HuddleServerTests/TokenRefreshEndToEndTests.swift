import Foundation
import HuddleJSON
import HuddleTestSupport
import Testing
@testable import HuddleServer

/// docs/protocol.md §1, tokens that expire while connected: `auth.expiring`,
/// `auth.refresh`, and the 4001 close, on a real server.
@Suite struct TokenRefreshEndToEndTests {
    static let secret = "0123456789abcdef-test-secret"
    let server: ServerProcess
    let jwt = JWT(secret: Array(secret.utf8))
    let now = Int(Date().timeIntervalSince1970)

    init() throws {
        server = try ServerProcess(environment: ["HUDDLE_AUTH_MODE": "jwt", "HUDDLE_AUTH_JWT_SECRET": Self.secret])
    }

    private func token(_ user: String = "alice", role: String = "editor", expiresIn: Int = 600,
                       workspaces: [JSONValue] = ["acme"]) -> String {
        jwt.sign(["sub": .string(user), "role": .string(role), "workspaces": .array(workspaces), "exp": .int(now + expiresIn)])
    }

    private func join(_ token: String) throws -> WebSocketTestClient {
        let client = try WebSocketTestClient.connect(port: server.port, path: "/ws/acme?token=\(token)")
        _ = try client.waitFor(type: "welcome")
        return client
    }

    private func refresh(_ client: WebSocketTestClient, with token: String, id: String) throws -> JSONValue {
        try client.send(json: ["type": "auth.refresh", "id": .string(id), "data": ["token": .string(token)]])
        return try client.waitFor(type: "ack", where: { $0["id"]?.stringValue == id }) 
    }

    @Test func anUnrefreshedSessionIsWarnedThenClosed4001AndLeavesAsExpired() throws {
        let bob = try join(token("bob"))
        let alice = try join(token(expiresIn: 2))
        let warning = try alice.waitFor(type: "auth.expiring")
        #expect((warning["in_ms"]?.intValue ?? -1) <= 2000)
        try alice.send(json: ["type": "typing", "data": ["target": "deal-1", "active": true]])
        _ = try bob.waitFor(type: "typing", where: { $0["active"] == true })
        #expect(try alice.expectClose() == 4001)
        #expect(try bob.waitFor(type: "typing", where: { $0["active"] == false })["user"] == "alice")
        #expect(try bob.waitFor(type: "presence.leave")["reason"] == "expired")
    }

    @Test func aRefreshAnswersTheNewExpAndAppliesTheNewRole() throws {
        let alice = try join(token(role: "editor", expiresIn: 2))
        _ = try alice.waitFor(type: "auth.expiring")
        let ack = try refresh(alice, with: token(role: "viewer", expiresIn: 1200), id: "r1")
        #expect(ack["exp"]?.intValue == now + 1200)
        try alice.send(json: ["type": "contacts.create", "id": "w1", "data": ["name": "Acme Ltd"]])
        #expect(try alice.waitFor(type: "error")["code"] == "forbidden")
        // Past the first token's exp the session is still there.
        Thread.sleep(forTimeInterval: 3)
        try alice.send(json: ["type": "ping", "id": "p1"])
        #expect(try alice.waitFor(type: "pong")["id"] == "p1")
    }

    @Test func aFailedRefreshAnswersWhyAndLeavesTheSessionAsItWas() throws {
        let alice = try join(token(role: "editor"))
        let refusals: [(String, String)] = [
            (token("mallory"), "invalid_token"),
            (token(expiresIn: -120), "token_expired"),
            (token(workspaces: ["other"]), "workspace_forbidden"),
            ("not.a.token", "invalid_token"),
            (JWT(secret: Array("another-secret-of-16+".utf8)).sign(["sub": "alice", "workspaces": ["acme"]]), "invalid_token"),
        ]
        for (index, (candidate, code)) in refusals.enumerated() {
            try alice.send(json: ["type": "auth.refresh", "id": .int(index), "data": ["token": .string(candidate)]])
            #expect(try alice.waitFor(type: "error")["code"] == .string(code), "refusal \(index)")
        }
        try alice.send(json: ["type": "contacts.create", "id": "w1", "data": ["name": "Acme Ltd"]])
        #expect(try alice.waitFor(type: "ack")["id"] == "w1")
    }
}
