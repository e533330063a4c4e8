/// One `{"field","problem"}` pair of a `validation_failed` error (PROTOCOL.md §2).
struct ValidationProblem: Equatable {
    enum Kind: String, Sendable {
        case required, tooShort = "too_short", tooLong = "too_long", invalidFormat = "invalid_format"
        case wrongType = "wrong_type", notAllowed = "not_allowed", outOfRange = "out_of_range"
    }

    let field: String
    let problem: Kind
    /// What was wrong, for the error's `message`.
    let explanation: String

    init(field: String, problem: Kind, explanation: String) {
        self.field = field
        self.problem = problem
        self.explanation = explanation
    }

    static func notAllowed(_ field: String) -> ValidationProblem {
        ValidationProblem(field: field, problem: .notAllowed, explanation: "\(field) is not a known field")
    }

    static func required(_ field: String) -> ValidationProblem {
        ValidationProblem(field: field, problem: .required, explanation: "\(field) is required")
    }

    static func wrongType(_ field: String, expected: String) -> ValidationProblem {
        ValidationProblem(field: field, problem: .wrongType, explanation: "\(field) must be \(expected)")
    }
}
