/// An error a plugin returns to the client, mapped to PROTOCOL.md's codes.
public struct PluginError: Error, Equatable, Sendable {
    public enum Code: String, Sendable {
        case validationFailed = "validation_failed"
        case forbidden
        case notFound = "not_found"
        case conflict
        case tooLarge = "too_large"
        case rateLimited = "rate_limited"
        case `internal`
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

    public let code: Code
    /// A sentence a person can act on.
    public let message: String
    public let details: [FieldProblem]
    /// For `conflict`: the record as it is now.
    public let current: JSONValue?

    public init(_ code: Code, _ message: String, details: [FieldProblem] = [], current: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.details = details
        self.current = current
    }

    public static func validation(_ details: [FieldProblem]) -> PluginError {
        let message = details.map { "\($0.field): \(String($0.problem.rawValue.map { $0 == "_" ? " " : $0 }))" }
            .joined(separator: "; ")
        return PluginError(.validationFailed, message, details: details)
    }

    public static func validation(_ field: String, _ problem: FieldProblem.Problem, _ message: String) -> PluginError {
        PluginError(.validationFailed, message, details: [FieldProblem(field, problem)])
    }

    public static func notFound(_ what: String, id: String) -> PluginError {
        PluginError(.notFound, "no \(what) with id \(id)")
    }

    public static func conflict(current: StoredRecord, expected: Int) -> PluginError {
        PluginError(.conflict, "version \(expected) is stale; the record is at version \(current.version)",
                    current: current.value)
    }

    public static let viewerCannotWrite = PluginError(.forbidden, "viewers cannot change records")
}

/// One field-level problem in a `validation_failed` error.
public struct FieldProblem: Equatable, Sendable {
    public enum Problem: String, Sendable {
        case required, tooShort = "too_short", tooLong = "too_long", invalidFormat = "invalid_format"
        case wrongType = "wrong_type", notAllowed = "not_allowed", duplicate, outOfRange = "out_of_range"
        case unknownColumn = "unknown_column", wipLimit = "wip_limit", tooMany = "too_many"
    }

    public let field: String
    public let problem: Problem

    public init(_ field: String, _ problem: Problem) {
        self.field = field
        self.problem = problem
    }
}
