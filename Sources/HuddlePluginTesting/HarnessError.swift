/// A harness call got another outcome than the test asked for; the test
/// has already recorded an issue saying what came instead.
public enum HarnessError: Error {
    /// A write, read or error was expected and something else came.
    case unexpectedOutcome
}
