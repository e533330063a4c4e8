import HuddleJSON
import HuddleTestSupport
import Testing

/// PROTOCOL.md §1: every refusal is an HTTP status and `{"error":code}` before any frame.
@Suite struct UpgradeTests {
    let server: ServerProcess

    init() throws { server = try ServerProcess(environment: ["HUDDLE_AUTH_ALLOWED_ORIGINS": #"["http://good.example"]"#]) }

    private func refusal(_ path: String, _ headers: [(String, String)] = []) throws -> (Int, String?) {
        do {
            _ = try WebSocketTestClient.connect(port: server.port, path: path, headers: headers)
            return (101, nil)
        } catch let rejected as HTTPRejected {
            return (rejected.status, (try? JSONParser.parse(rejected.body))?["error"]?.stringValue)
        }
    }

    @Test func badWorkspaceIs400() throws {
        #expect(try refusal("/ws/-acme") == (400, "bad_workspace"))
        #expect(try refusal("/ws/a%20b") == (400, "bad_workspace"))
        #expect(try refusal("/ws/" + String(repeating: "a", count: 65)) == (400, "bad_workspace"))
    }

    @Test func badDevUserIs400() throws {
        #expect(try refusal("/ws/acme?user=a%20b") == (400, "bad_user"))
        #expect(try refusal("/ws/acme?user=") == (400, "bad_user"))
        #expect(try refusal("/ws/acme?user=bob&name=") == (400, "bad_user"))
    }

    @Test func malformedSinceIs400() throws {
        #expect(try refusal("/ws/acme?user=bob&since=-1") == (400, "bad_since"))
        #expect(try refusal("/ws/acme?user=bob&since=5&epoch=bad!epoch") == (400, "bad_since"))
    }

    @Test func workspaceIsCheckedBeforeTheHandshake() throws {
        let answer = try HTTPTestClient.request(port: server.port, method: "GET", path: "/ws/-bad")
        #expect(answer.status == 400)
    }

    @Test func plainGetIs426() throws {
        let answer = try HTTPTestClient.request(port: server.port, method: "GET", path: "/ws/acme?user=bob")
        #expect(answer.status == 426)
        #expect((try? JSONParser.parse(answer.body))?["error"] == "upgrade_required")
    }

    @Test func otherSubprotocolIs400() throws {
        #expect(try refusal("/ws/acme?user=bob", [("Sec-WebSocket-Protocol", "chat.v2")]) == (400, "bad_subprotocol"))
    }

    @Test func foreignOriginIs403AndNoOriginIsAllowed() throws {
        #expect(try refusal("/ws/acme?user=bob", [("Origin", "http://evil.example")]) == (403, "origin_not_allowed"))
        #expect(try refusal("/ws/acme?user=bob", [("Origin", "http://good.example")]).0 == 101)
        #expect(try refusal("/ws/acme?user=bob").0 == 101)
    }

    @Test func guestIdWithoutUser() throws {
        let client = try WebSocketTestClient.connect(port: server.port, path: "/ws/acme")
        let welcome = try client.waitFor(type: "welcome")
        #expect(welcome["user"]?["id"]?.stringValue?.hasPrefix("guest-") == true)
        #expect(welcome["protocol"] == 1)
    }
}

@Suite struct CapacityTests {
    @Test func overMaxConnectionsIs503WithRetryAfter() throws {
        let server = try ServerProcess(environment: ["HUDDLE_LIMITS_MAX_CONNECTIONS": "1"])
        let first = try server.join("acme", user: "alice")
        do {
            _ = try WebSocketTestClient.connect(port: server.port, path: "/ws/acme?user=bob")
            Issue.record("second session was accepted")
        } catch let rejected as HTTPRejected {
            #expect(rejected.status == 503)
            #expect(rejected.headers.contains { $0.0.lowercased() == "retry-after" })
        }
        _ = first
    }
}
