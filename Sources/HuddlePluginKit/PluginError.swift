/// An error a plugin returns to the client, mapped to the error codes of
/// docs/protocol.md ("Errors").
public struct PluginError: Error, Equatable, Sendable {
    /// The `code` of the error message.
    public enum Code: String, Sendable, CaseIterable {
        /// The request is wrong; `details` says where.
        case validationFailed = "validation_failed"
        /// The user's role, or the record's ownership, does not allow it.
        case forbidden
        /// No such record.
        case notFound = "not_found"
        /// The request named a stale `version`; `current` is the record now.
        case conflict
        /// A size limit was exceeded.
        case tooLarge = "too_large"
        /// Too many requests; retry later.
        case rateLimited = "rate_limited"
        /// A bug in the plugin or the server; logged with the request.
        case `internal`
        /// Storage is failing; nothing was written.
        case unavailable

        /// The HTTP status the same error gets on `/api` endpoints.
        public var httpStatus: Int {
            switch self {
            case .validationFailed: return 400
            case .forbidden: return 403
            case .notFound: return 404
            case .conflict: return 409
            case .tooLarge: return 413
            case .rateLimited: return 429
            case .internal: return 500
            case .unavailable: return 503
            }
        }
    }

    /// The error's `code`.
    public let code: Code
    /// A sentence a person can act on.
    public let message: String
    /// For `validation_failed`: every problem found, as `details`.
    public let details: [FieldProblem]
    /// For `conflict`: the record as it is now.
    public let current: JSONValue?

    /// An error with its code, its message and, for some codes, `details` or `current`.
    public init(_ code: Code, _ message: String, details: [FieldProblem] = [], current: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.details = details
        self.current = current
    }

    /// `validation_failed` listing `details`, with a message naming each problem.
    public static func validation(_ details: [FieldProblem]) -> PluginError {
        let message = details.map { "\($0.field): \(String($0.problem.rawValue.map { $0 == "_" ? " " : $0 }))" }
            .joined(separator: "; ")
        return PluginError(.validationFailed, message, details: details)
    }

    /// `validation_failed` with one problem and a message of your own.
    public static func validation(_ field: String, _ problem: FieldProblem.Problem, _ message: String) -> PluginError {
        PluginError(.validationFailed, message, details: [FieldProblem(field, problem)])
    }

    /// `not_found` for the `what` (e.g. `"deal"`) with `id`.
    public static func notFound(_ what: String, id: String) -> PluginError {
        PluginError(.notFound, "no \(what) with id \(id)")
    }

    /// `conflict` against `current`, which a request based on `expected` missed.
    public static func conflict(current: StoredRecord, expected: Int) -> PluginError {
        PluginError(.conflict, "version \(expected) is stale; the record is at version \(current.version)",
                    current: current.value)
    }

    /// `forbidden` for a viewer's write.
    public static let viewerCannotWrite = PluginError(.forbidden, "viewers cannot change records")
}
