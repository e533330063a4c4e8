import Foundation
import HuddleJSON
import HuddleTestSupport

/// Short timings so end-to-end tests wait for messages, never for long.
let fastPresence = [
    "HUDDLE_PRESENCE_GRACE_MS": "300",
    "HUDDLE_TYPING_TTL_MS": "300",
]

extension ServerProcess {
    /// A session of `user` in `workspace`, past its welcome.
    func join(_ workspace: String, user: String, name: String? = nil, query: String = "") throws -> Member {
        var path = "/ws/\(workspace)?user=\(user)"
        if let name { path += "&name=\(name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
        if !query.isEmpty { path += "&" + query }
        let client = try WebSocketTestClient.connect(port: port, path: path)
        let welcome = try client.waitFor(type: "welcome")
        return Member(client: client, welcome: welcome)
    }

    func get(_ path: String, headers: [(String, String)] = []) throws -> (status: Int, headers: [(String, String)], json: JSONValue?) {
        let answer = try HTTPTestClient.request(port: port, method: "GET", path: path, headers: headers)
        return (answer.status, answer.headers, try? JSONParser.parse(answer.body))
    }

    func post(_ path: String, json: JSONValue, headers: [(String, String)] = []) throws -> (status: Int, json: JSONValue?) {
        let answer = try HTTPTestClient.request(port: port, method: "POST", path: path,
                                                headers: headers + [("Content-Type", "application/json")], body: json.encoded())
        return (answer.status, try? JSONParser.parse(answer.body))
    }
}

/// A connected session and what its welcome said.
struct Member {
    let client: WebSocketTestClient
    let welcome: JSONValue

    var session: String { welcome["session"]!.stringValue! }

    func send(_ json: JSONValue) throws { try client.send(json: json) }

    func waitFor(_ type: String, timeout: Double = 10, where predicate: (JSONValue) -> Bool = { _ in true }) throws -> JSONValue {
        try client.waitFor(type: type, timeout: timeout, where: predicate)
    }
}

/// Polls `condition` until it holds; for states no message announces.
func waitUntil(_ what: String, timeout: Double = 10, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return }
        usleep(20_000)
    }
    throw WaitTimeout(what: what)
}

struct WaitTimeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting until \(what)" }
}

extension ServerProcess {
    var openSessions: Int { (try? get("/healthz").json?["connections"]?.intValue) ?? -1 }
}
