/// One field-level problem in a `validation_failed` error: a `details` entry
/// `{"field": …, "problem": …}`.
public struct FieldProblem: Equatable, Sendable {
    /// A `problem` code. The protocol's own codes are the static members
    /// listed in ``standard``; a plugin may declare codes of its own (as
    /// kanban declares `wip_limit`) in an extension and list them in its
    /// `WorkspacePlugin.problemCodes`, so they are documented with it.
    public struct Problem: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code as clients see it: lowercase words joined by `_`.
        public let rawValue: String

        /// A code; use snake case, like the protocol's own codes.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// Shorthand for ``init(rawValue:)``.
        public init(_ rawValue: String) {
            self.init(rawValue: rawValue)
        }

        /// The code, as in `details`.
        public var description: String { rawValue }

        /// Absent, or `null` where a value is needed.
        public static let required = Problem("required")
        /// Shorter than the field's minimum length.
        public static let tooShort = Problem("too_short")
        /// Longer than the field's maximum length.
        public static let tooLong = Problem("too_long")
        /// Not of the field's format, or not one of its allowed values.
        public static let invalidFormat = Problem("invalid_format")
        /// Of the wrong JSON type.
        public static let wrongType = Problem("wrong_type")
        /// A field the request may not name (unknown, or `version` on create).
        public static let notAllowed = Problem("not_allowed")
        /// A value that must be unique is taken, or a list repeats an element.
        public static let duplicate = Problem("duplicate")
        /// A number outside its range.
        public static let outOfRange = Problem("out_of_range")
        /// A list with more elements than allowed.
        public static let tooMany = Problem("too_many")

        /// The protocol's own codes, which any plugin may report.
        public static let standard: [Problem] = [
            .required, .tooShort, .tooLong, .invalidFormat, .wrongType, .notAllowed, .duplicate, .outOfRange, .tooMany,
        ]
    }

    /// The plain field name (`email`, also for a field inside `changes`).
    public let field: String
    /// What is wrong with it.
    public let problem: Problem

    /// A problem with `field`.
    public init(_ field: String, _ problem: Problem) {
        self.field = field
        self.problem = problem
    }
}
