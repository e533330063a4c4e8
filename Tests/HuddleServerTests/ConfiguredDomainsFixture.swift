import Foundation
import HuddleJSON
import HuddleTestSupport

/// A server started on a config file of its own: records and proxy tables
/// are configuration, so the tests define their domains the way a team does.
struct ConfiguredServer {
    let server: ServerProcess
    // Holds the config file for the server's lifetime.
    private let directory: TemporaryDirectory

    init(config: String, environment: [String: String] = [:]) throws {
        directory = try TemporaryDirectory(prefix: "huddle-domains")
        let path = directory.file("huddle.toml")
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        server = try ServerProcess(environment: environment, arguments: ["--config", path])
    }
}

extension Member {
    /// Sends a request with `id` and returns its `ack` or `error`, skipping
    /// everything else (events, presence) that arrives meanwhile.
    func ask(_ type: String, _ data: JSONValue = [:], id: String) throws -> JSONValue {
        try send(["type": .string(type), "id": .string(id), "data": data])
        return try answer(to: id)
    }

    /// The `ack` or `error` for request `id`.
    func answer(to id: String) throws -> JSONValue {
        while true {
            let message = try client.receiveJSON()
            if message["id"] == .string(id), message["type"] == "ack" || message["type"] == "error" { return message }
        }
    }

    /// The `details` of a `validation_failed` answer, as `field: problem` pairs.
    func problems(_ type: String, _ data: JSONValue, id: String) throws -> [String: String] {
        let answer = try ask(type, data, id: id)
        guard answer["code"] == "validation_failed" else { throw UnexpectedAnswer(answer: answer) }
        var problems: [String: String] = [:]
        for detail in answer["details"]?.arrayValue ?? [] {
            problems[detail["field"]!.stringValue!] = detail["problem"]!.stringValue!
        }
        return problems
    }
}

struct UnexpectedAnswer: Error, CustomStringConvertible {
    let answer: JSONValue
    var description: String { "unexpected answer \(String(decoding: answer.encoded(), as: UTF8.self))" }
}
