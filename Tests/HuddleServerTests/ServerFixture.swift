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

extension ServerProcess {
    var openSessions: Int { (try? get("/healthz").json?["connections"]?.intValue) ?? -1 }

    /// The value of an unlabelled metric, as `/metrics` shows it now.
    func metric(_ name: String) throws -> Int? {
        let answer = try HTTPTestClient.request(port: port, method: "GET", path: "/metrics")
        let line = String(decoding: answer.body, as: UTF8.self).split(separator: "\n")
            .first { $0.hasPrefix(name + " ") }
        return line.flatMap { Int($0.split(separator: " ")[1]) }
    }
}
