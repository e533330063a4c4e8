import HuddlePluginKit

/// The problem code records domains report besides the standard ones.
extension FieldProblem.Problem {
    /// An `enum` field's value is not one of its `values`.
    public static let notInList = Self("not_in_list")
}
