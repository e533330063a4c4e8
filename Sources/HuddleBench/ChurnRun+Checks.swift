import HuddleJSON

// After the window: every acked write is in its workspace's history, and
// every workspace's presence lists exactly the sessions still open (the
// dropped ones have left after their grace period).
extension ChurnRun {
    func check(workspaceIndex: Int, then done: @escaping () -> Void) {
        guard workspaceIndex < settings.workspaces else { return done() }
        let workspace = "churn-\(workspaceIndex)"
        collectSeqs(workspace: workspace, since: 0, found: []) { [unowned self] present in
            let acked = ackedSeqs[workspace] ?? []
            counters.ackedWritesLost += acked.filter { !present.contains($0) }.count
            checkPresence(workspace: workspace) { [unowned self] in
                check(workspaceIndex: workspaceIndex + 1, then: done)
            }
        }
    }

    private static let eventsPage = 1000

    private func collectSeqs(workspace: String, since: Int, found: Set<Int>, then done: @escaping (Set<Int>) -> Void) {
        let path = "/api/workspaces/\(workspace)/events?since=\(since)&limit=\(Self.eventsPage)"
        BenchHTTP.getJSON(loop: loop, endpoint: target.endpoints[0], path: path) { [unowned self] result in
            switch result {
            case .failure(let problem):
                counters.checkProblems.append(problem.message)
                done(found)
            case .success(let page):
                let seqs = (page["events"]?.arrayValue ?? []).compactMap { $0["seq"]?.intValue }
                let all = found.union(seqs)
                if seqs.count == Self.eventsPage, let last = seqs.last {
                    collectSeqs(workspace: workspace, since: last, found: all, then: done)
                } else {
                    done(all)
                }
            }
        }
    }

    private func checkPresence(workspace: String, then done: @escaping () -> Void) {
        BenchHTTP.getPresence(loop: loop, endpoint: target.endpoints[0], workspace: workspace) { [unowned self] result in
            switch result {
            case .failure(let problem):
                counters.checkProblems.append(problem.message)
            case .success(let sessionsByUser):
                let listed = sessionsByUser.values.reduce(0, +)
                let open = slots.filter { $0.workspace == workspace && $0.isOpen }.count
                if listed != open {
                    counters.ghostSessions += abs(listed - open)
                    counters.checkProblems.append("\(workspace): presence lists \(listed) sessions, \(open) are open")
                }
            }
            done()
        }
    }
}
