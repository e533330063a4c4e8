import Foundation
import HuddleJSON
import HuddleTestSupport
import Testing
@testable import HuddleServer

/// The server API for backends (docs/protocol.md §12): its key, publish,
/// disconnect, and the workspace and session lists.
@Suite struct ServerAPIEndToEndTests {
    static let apiKey = "backend-key-0123456789"
    static let apiKeyHeader = [("Authorization", "apikey \(apiKey)")]

    @Test func onlyAConfiguredAPIKeyOpensTheServerAPIAndAUserTokenNever() throws {
        let secret = "0123456789abcdef-test-secret"
        let server = try ServerProcess(environment: ["HUDDLE_AUTH_MODE": "jwt", "HUDDLE_AUTH_JWT_SECRET": secret,
                                                     "HUDDLE_AUTH_API_KEYS": "other-key-0123456789abc,\(Self.apiKey)"])
        let token = JWT(secret: Array(secret.utf8)).sign(["sub": "ada", "role": "admin", "workspaces": ["*"],
                                                         "exp": .int(Int(Date().timeIntervalSince1970) + 600)])
        let publish: JSONValue = ["type": "app.ping", "data": [:]]
        #expect(try server.post("/api/workspaces/crm/publish", json: publish).json?["error"] == "missing_api_key")
        let withToken = try server.post("/api/workspaces/crm/publish", json: publish, headers: [("Authorization", "Bearer \(token)")])
        #expect(withToken.status == 401 && withToken.json?["error"] == "missing_api_key")
        let wrongKey = try server.post("/api/workspaces/crm/publish", json: publish, headers: [("Authorization", "apikey wrong-key-0123456789")])
        #expect(wrongKey.status == 401 && wrongKey.json?["error"] == "invalid_api_key")
        #expect(try server.post("/api/workspaces/crm/publish", json: publish, headers: Self.apiKeyHeader).status == 200)
        // The existing endpoints take the key too, acting as the admin `server`.
        #expect(try server.get("/api/workspaces/crm/presence", headers: Self.apiKeyHeader).status == 200)
        #expect(try server.get("/api/workspaces", headers: [("Authorization", "Bearer \(token)")]).status == 401)
        #expect(!server.standardError().contains(Self.apiKey))
    }

    @Test func publishReachesEverySessionAndADurablePublishIsStoredAndReplayed() throws {
        let server = try ServerProcess()
        let alice = try server.join("crm", user: "alice")
        let bob = try server.join("crm", user: "bob")
        let message: JSONValue = ["type": "app.deal_closed", "data": ["deal": "d1", "amount": 1200]]
        #expect(try server.post("/api/workspaces/crm/publish", json: message).status == 200)
        for member in [alice, bob] {
            let received = try member.waitFor("app.deal_closed")
            #expect(received == ["type": "app.deal_closed", "data": ["deal": "d1", "amount": 1200], "by": ["user": "server"]])
        }
        let durable = try server.post("/api/workspaces/crm/publish",
                                      json: ["type": "app.invoice_paid", "data": ["invoice": "i7"], "durable": true])
        #expect(durable.status == 200 && durable.json?["seq"] == 1 && durable.json?["result"] == ["invoice": "i7"])
        let event = try bob.waitFor("app.invoice_paid")
        #expect(event["seq"] == 1 && event["by"]?["user"] == "server" && event["by"]?["session"] == .null)
        let history = try server.get("/api/workspaces/crm/events?since=0")
        #expect(history.json?["events"]?.arrayValue?.map { $0["type"] } == ["app.invoice_paid"])

        let wrongType = try server.post("/api/workspaces/crm/publish", json: ["type": "contacts.create", "data": [:]])
        #expect(wrongType.status == 400 && wrongType.json?["code"] == "validation_failed")
        let wrongData = try server.post("/api/workspaces/crm/publish", json: ["type": "app.x", "data": [1]])
        #expect(wrongData.status == 400 && wrongData.json?["details"]?.arrayValue?.first?["field"] == "data")
    }

    @Test func disconnectClosesTheUsersSessionsWith4003AtOnceAndRefusesTheirResume() throws {
        let server = try ServerProcess(environment: fastPresence)
        let alice = try server.join("crm", user: "alice")
        let bob = try server.join("crm", user: "bob")
        let bobAgain = try server.join("crm", user: "bob")
        let bobElsewhere = try server.join("sales", user: "bob")
        let answer = try server.post("/api/workspaces/crm/disconnect", json: ["user": "bob"])
        #expect(answer.status == 200 && answer.json?["sessions"] == 2)
        #expect(try bob.client.expectClose() == 4003)
        #expect(try bobAgain.client.expectClose() == 4003)
        let leaves = [try alice.waitFor("presence.leave"), try alice.waitFor("presence.leave")]
        #expect(leaves.map { $0["reason"] } == ["kicked", "kicked"])
        #expect(leaves.last?["sessions"] == 0)
        do {
            _ = try WebSocketTestClient.connect(port: server.port, path: "/ws/crm?user=bob&session=\(bob.session)")
            Issue.record("a removed session was resumed")
        } catch let refused as HTTPRejected {
            #expect(refused.status == 403 && (try? JSONParser.parse(refused.body))?["error"] == "session_removed")
        }
        // The user-wide form reaches the other workspace too.
        #expect(try server.post("/api/users/bob/disconnect", json: [:]).json?["sessions"] == 1)
        #expect(try bobElsewhere.client.expectClose() == 4003)
        #expect(try server.post("/api/users/bad%20user/disconnect", json: [:]).status == 400)
    }

    @Test func workspacesAndSessionsAreListedAndPaged() throws {
        let server = try ServerProcess(environment: fastPresence)
        let members = try ["a-team", "b-team", "c-team"].map { try server.join($0, user: "alice") }
        let bob = try server.join("b-team", user: "bob")
        let first = try server.get("/api/workspaces?limit=2")
        #expect(first.json?["workspaces"] == [["workspace": "a-team", "users": 1, "sessions": 1],
                                              ["workspace": "b-team", "users": 2, "sessions": 2]])
        let cursor = try #require(first.json?["next"]?.stringValue)
        let second = try server.get("/api/workspaces?limit=2&cursor=\(cursor)")
        #expect(second.json?["workspaces"]?.arrayValue?.map { $0["workspace"] } == ["c-team"])
        #expect(second.json?["next"] == .null)

        members[0].client.abort()
        try waitUntil("the dropped session is in grace") {
            try server.get("/api/workspaces/a-team/sessions").json?["sessions"]?.arrayValue?.first?["in_grace"] == true
        }
        let sessions = try server.get("/api/workspaces/b-team/sessions").json?["sessions"]?.arrayValue ?? []
        #expect(sessions.map { $0["user"] } == ["alice", "bob"])
        #expect(sessions.allSatisfy { $0["role"] == "editor" && $0["status"] == "online" && $0["in_grace"] == false })
        #expect(sessions.map { $0["session"] } == [.string(members[1].session), .string(bob.session)])
    }
}
