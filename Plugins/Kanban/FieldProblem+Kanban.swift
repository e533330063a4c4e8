import HuddlePluginKit

/// The problem codes only kanban reports, declared in `KanbanPlugin.problemCodes`.
extension FieldProblem.Problem {
    /// `column` names a column that is not configured.
    public static let unknownColumn = Self("unknown_column")
    /// The move or create would bring the column over its WIP limit.
    public static let wipLimit = Self("wip_limit")
}
