/// Every problem found while loading a configuration, so that
/// `huddle check-config` can list them all in one run.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// The problems, in the order they were found: file, environment, flags,
    /// then rules that tie keys together.
    public let problems: [ConfigProblem]

    public init(problems: [ConfigProblem]) {
        self.problems = problems
    }

    /// One line per problem.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
