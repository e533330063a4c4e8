import HuddlePluginKit
import HuddlePluginTesting
import Testing

@Test func declaredProblemCodeIsAccepted() throws {
    let harness = try PluginHarness<ProblemPlugin>()
    #expect(try harness.problems("problem.report", ["code": "declared"]) == [FieldProblem("field", .declared)])
}

@Test func standardProblemCodeIsAccepted() throws {
    let harness = try PluginHarness<ProblemPlugin>()
    #expect(try harness.problems("problem.report", ["code": "too_many"]) == [FieldProblem("field", .tooMany)])
}

@Test func undeclaredProblemCodeIsReported() throws {
    let harness = try PluginHarness<ProblemPlugin>()
    withKnownIssue("the plugin does not declare stray_code") {
        _ = try harness.problems("problem.report", ["code": "stray_code"])
    }
}

@Test func clockTicksOneSecondPerRequest() throws {
    let harness = try PluginHarness<ProblemPlugin>()
    #expect(harness.lastTimestamp == "")
    _ = try? harness.outcome("problem.report", ["code": "declared"])
    #expect(harness.lastTimestamp == "2026-11-22T10:00:01.000Z")
    _ = try? harness.outcome("problem.report", ["code": "declared"])
    #expect(harness.lastTimestamp == "2026-11-22T10:00:02.000Z")
}

@Test func clockCountsPastTheMinuteAndTheHour() {
    var clock = TestClock()
    for _ in 1..<3661 { _ = clock.tick() }
    #expect(clock.tick() == "2026-11-22T11:01:01.000Z")
}

@Test func harnessOpensItsStoreThroughTheGivenOpener() throws {
    var opened = 0
    let harness = try PluginHarness<ProblemPlugin>(openStore: { directory in
        opened += 1
        return try TestStore.open(in: directory)
    })
    #expect(opened == 1)
    #expect(try harness.problems("problem.report", ["code": "declared"]).count == 1)
}
