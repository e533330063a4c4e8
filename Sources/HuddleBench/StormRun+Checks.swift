// After the settle period: the server's own presence of every workspace
// lists exactly its members, each with the one session it has now (the
// sessions the new half left behind have ended their grace).
extension StormRun {
    func checkServerPresence(workspaceIndex: Int, then done: @escaping () -> Void) {
        guard workspaceIndex < settings.workspaces else { return done() }
        let workspace = "storm-\(workspaceIndex)"
        BenchHTTP.getPresence(loop: loop, endpoint: target.endpoints[0], workspace: workspace) { [unowned self] result in
            switch result {
            case .failure(let problem):
                counters.checkProblems.append(problem.message)
            case .success(let sessionsByUser):
                let expected = Set((0..<settings.sessionsPerWorkspace).map { StormUser.id(workspace: workspaceIndex, member: $0) })
                let listed = Set(sessionsByUser.keys)
                let extraSessions = sessionsByUser.values.reduce(0) { $0 + max(0, $1 - 1) }
                if listed == expected && extraSessions == 0 {
                    counters.workspacesExact += 1
                } else {
                    counters.checkProblems.append("\(workspace): \(listed.subtracting(expected).count) ghost and "
                        + "\(expected.subtracting(listed).count) missing users, \(extraSessions) sessions beyond one per user")
                }
            }
            checkServerPresence(workspaceIndex: workspaceIndex + 1, then: done)
        }
    }
}
