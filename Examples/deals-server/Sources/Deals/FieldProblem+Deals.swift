import HuddlePluginKit

/// The problem code only deals reports, declared in `DealsPlugin.problemCodes`.
extension FieldProblem.Problem {
    /// `stage` names a stage that is not configured.
    public static let unknownStage = Self("unknown_stage")
}
