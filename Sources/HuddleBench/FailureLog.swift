/// A run's failures: how many, and the first few reasons (the count says
/// the rest), so that a run with thousands of them still prints a short report.
public struct FailureLog: Sendable {
    static let kept = 5

    public private(set) var count = 0
    public private(set) var reasons: [String] = []
    /// Close frames the generator did not ask for (each also a failure).
    public private(set) var serverCloses = 0

    mutating func note(_ reason: String) {
        count += 1
        if reasons.count < Self.kept { reasons.append(reason) }
    }

    /// A close frame the generator did not ask for.
    mutating func noteServerClose(code: UInt16?, reason: String) {
        serverCloses += 1
        note("server closed \(code.map(String.init) ?? "-") \(reason)")
    }
}
