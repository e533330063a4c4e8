import HuddleCore
import HuddleJSON

/// A session's state as nodes exchange it and as the presence hash keeps it.
extension RemoteSession {
    func json(node: String, incarnation: String) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "user": .string(identity.userID), "name": .string(identity.name),
            "role": .string(identity.role), "status": .string(status.rawValue), "focus": focus.map(JSONValue.string) ?? .null,
            "meta": meta, "since": .int(Int(sinceUnixMs)), "node": .string(node), "incarnation": .string(incarnation),
        ]
        if let grace {
            object["grace"] = ["reason": .string(grace.reason.rawValue), "until": .int(Int(grace.untilUnixMs))]
        }
        return .object(object)
    }

    /// The session and the node (and its incarnation) that announced it.
    static func parse(_ json: JSONValue) -> (session: RemoteSession, node: String, incarnation: String)? {
        guard let id = json["id"]?.stringValue, let user = json["user"]?.stringValue,
              let name = json["name"]?.stringValue, let role = json["role"]?.stringValue,
              let status = json["status"]?.stringValue.flatMap(PresenceStatus.init(rawValue:)),
              let since = json["since"]?.intValue, let node = json["node"]?.stringValue,
              let incarnation = json["incarnation"]?.stringValue else { return nil }
        var grace: Grace?
        if let object = json["grace"], let reason = object["reason"]?.stringValue.flatMap(LeaveReason.init(rawValue:)),
           let until = object["until"]?.intValue {
            grace = Grace(reason: reason, untilUnixMs: Int64(until))
        }
        let session = RemoteSession(id: id, identity: Identity(userID: user, name: name, role: role), status: status,
                                    focus: json["focus"]?.stringValue, meta: json["meta"] ?? .object([:]), sinceUnixMs: Int64(since),
                                    grace: grace)
        return (session, node, incarnation)
    }
}
