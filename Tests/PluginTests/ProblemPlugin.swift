import HuddlePluginKit

/// A plugin that reports the problem its request names, on field `field`:
/// lets the kit's tests check how it treats declared and undeclared codes.
final class ProblemPlugin: WorkspacePlugin {
    static let name = "problem"
    static let messageTypes = ["problem.report"]
    static let problemCodes: [FieldProblem.Problem] = [.declared]

    init(options: PluginOptions) throws(PluginConfigError) {
        try options.finish()
    }

    func handle(_ request: PluginRequest, context: PluginContext) throws -> PluginOutcome {
        let fields = RequestFields(request.data, allowed: ["code"])
        let code = fields.string(StringRule("code", length: 1...64, required: true)) ?? ""
        fields.record("field", FieldProblem.Problem(code))
        try fields.throwIfInvalid()
        return .read(result: [:])
    }
}

extension FieldProblem.Problem {
    static let declared = Self("declared")
}
