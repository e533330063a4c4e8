import HuddleJSON
import HuddleLoop

/// One `GET` on the generator's loop, for the checks after a run
/// (`/api/.../events`, `/api/.../presence`): `Connection: close`, so the
/// response ends with the stream.
enum BenchHTTP {
    struct Failure: Error {
        let message: String
    }

    static func getJSON(loop: EventLoop, endpoint: BenchEndpoint, path: String,
                        completion: @escaping (Result<JSONValue, Failure>) -> Void) {
        get(loop: loop, endpoint: endpoint, path: path) { result in
            completion(result.flatMap { body in
                (try? JSONParser.parse(body)).map { .success($0) } ?? .failure(Failure(message: "GET \(path): not JSON"))
            })
        }
    }

    /// The body of a 200 answer.
    static func get(loop: EventLoop, endpoint: BenchEndpoint, path: String,
                    completion: @escaping (Result<[UInt8], Failure>) -> Void) {
        endpoint.connect(loop: loop) { result in
            guard case .success(let connection) = result else {
                completion(.failure(Failure(message: "GET \(path): cannot connect")))
                return
            }
            var response: [UInt8] = []
            connection.onRead = { bytes in response.append(contentsOf: bytes) }
            connection.onClose = { _ in completion(body(of: response, path: path)) }
            connection.startReading()
            connection.write(Array("GET \(path) HTTP/1.1\r\nHost: \(endpoint.host):\(endpoint.port)\r\nConnection: close\r\n\r\n".utf8))
        }
    }

    /// `GET /api/workspaces/{ws}/presence`: each listed user's session count.
    static func getPresence(loop: EventLoop, endpoint: BenchEndpoint, workspace: String,
                            completion: @escaping (Result<[String: Int], Failure>) -> Void) {
        getJSON(loop: loop, endpoint: endpoint, path: "/api/workspaces/\(workspace)/presence") { result in
            completion(result.map { document in
                var sessions: [String: Int] = [:]
                for user in document["users"]?.arrayValue ?? [] {
                    sessions[user["user"]?.stringValue ?? "", default: 0] += user["sessions"]?.arrayValue?.count ?? 0
                }
                return sessions
            })
        }
    }

    private static func body(of response: [UInt8], path: String) -> Result<[UInt8], Failure> {
        let separator = Array("\r\n\r\n".utf8)
        guard response.starts(with: Array("HTTP/1.1 200".utf8)),
              let end = (0...max(0, response.count - separator.count)).first(where: {
                  response[$0..<min($0 + separator.count, response.count)].elementsEqual(separator)
              }) else {
            let statusLine = String(decoding: response.prefix { $0 != UInt8(ascii: "\r") }, as: UTF8.self)
            return .failure(Failure(message: "GET \(path): \(statusLine.isEmpty ? "no answer" : statusLine)"))
        }
        return .success(Array(response[(end + separator.count)...]))
    }
}
