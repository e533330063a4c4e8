import HuddleJSON
import HuddleOutbound
import HuddlePluginKit

/// What a proxy backend's answer means (docs/protocol.md §7, "proxy").
enum ProxyAnswer {
    /// `{"event":{"type","data"}}`: a write, stored with a seq and broadcast.
    case event(PluginEvent)
    /// `{"result":…}`: a read, acked only.
    case result(JSONValue)
    /// `{"error":{…}}`, or a failure of the call itself.
    case error(PluginError)

    /// The answer to `result` from the backend of plugin `name`. `logged`
    /// says what an operator should know (a backend bug), if anything.
    static func from(_ result: OutboundResult, plugin name: String) -> (answer: ProxyAnswer, logged: String?) {
        let status: Int
        let body: [UInt8]
        switch result {
        case .failed(let failure):
            return (unavailable(name, failure.message), "proxy \(name): \(failure.message)")
        case .response(let code, let bytes):
            status = code
            body = bytes
        }
        if status >= 500 { return (unavailable(name, "it answered \(status)"), "proxy \(name): backend answered \(status)") }
        guard let answer = try? JSONParser.parse(body), let members = answer.objectValue else {
            return (broken(name), "proxy \(name): the answer (status \(status)) is not a JSON object")
        }
        if let event = members["event"] {
            guard let type = event["type"]?.stringValue, type.hasPrefix("\(name)."), type.count > name.count + 1,
                  let data = event["data"], data.objectValue != nil else {
                return (broken(name), "proxy \(name): an event needs a type \(name).<name> and a data object")
            }
            return (.event(PluginEvent(type: type, data: data)), nil)
        }
        if let result = members["result"] { return (.result(result), nil) }
        if let error = members["error"]?.objectValue { return (.error(forwarded(error)), nil) }
        return (broken(name), "proxy \(name): the answer has no event, result or error")
    }

    /// The backend's error as the client gets it; a code outside the
    /// protocol's list becomes `internal`.
    private static func forwarded(_ error: [String: JSONValue]) -> PluginError {
        let code = error["code"]?.stringValue.flatMap(PluginError.Code.init(rawValue:)) ?? .internal
        let details = (error["details"]?.arrayValue ?? []).compactMap { entry -> FieldProblem? in
            guard let field = entry["field"]?.stringValue, let problem = entry["problem"]?.stringValue else { return nil }
            return FieldProblem(field, FieldProblem.Problem(problem))
        }
        let message = error["message"]?.stringValue ?? code.rawValue
        return PluginError(code, message, details: details, current: error["current"])
    }

    private static func unavailable(_ name: String, _ why: String) -> ProxyAnswer {
        .error(PluginError(.unavailable, "the \(name) backend is not answering (\(why)); nothing was stored"))
    }

    private static func broken(_ name: String) -> ProxyAnswer {
        .error(PluginError(.internal, "the \(name) backend gave an answer Huddle cannot use; it is logged"))
    }
}
