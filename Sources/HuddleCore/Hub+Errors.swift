import HuddleJSON

extension Hub {
    /// Encodes an `error` message (PROTOCOL.md §2 "Errors"): `id` echoed with
    /// its JSON type, `details` only when there are some, `extra` members
    /// (`retry_after_ms`, `current`, `seq`…) after them in key order.
    public static func errorMessage(
        code: String, message: String, id: JSONValue?,
        details: [(field: String, problem: String)] = [], extra: [String: JSONValue] = [:]
    ) -> Outgoing {
        var writer = MessageWriter(type: MessageType.error)
        writer.valueIfPresent("id", id)
        writer.string("code", code)
        writer.string("message", message)
        if !details.isEmpty {
            writer.value("details", .array(details.map { .object(["field": .string($0.field), "problem": .string($0.problem)]) }))
        }
        for key in extra.keys.sorted() {
            writer.value(key, extra[key]!)
        }
        return Outgoing(type: MessageType.error, bytes: writer.finish())
    }

    func validationFailed(_ problems: [ValidationProblem], id: JSONValue?) -> Outgoing {
        Hub.errorMessage(
            code: ErrorCode.validationFailed,
            message: problems.map(\.explanation).joined(separator: "; "),
            id: id,
            details: problems.map { ($0.field, $0.problem.rawValue) })
    }

    func tooLarge(field: String, limit: Int, id: JSONValue?) -> Outgoing {
        Hub.errorMessage(code: ErrorCode.tooLarge, message: "\(field) must be at most \(limit) bytes", id: id)
    }

    func rateLimited(id: JSONValue?, retryAfterMs: Int, message: String, details: [(field: String, problem: String)] = []) -> Outgoing {
        Hub.errorMessage(code: ErrorCode.rateLimited, message: message, id: id, details: details,
                         extra: ["retry_after_ms": .int(retryAfterMs)])
    }
}
