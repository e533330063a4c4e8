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

// The server's admission counters around the storm: handshakes it closed to
// make room under `limits.max_http_connections`, and connections it shed
// while out of descriptors. Each is a reconnect the client had to retry.
extension StormRun {
    struct AdmissionCounts: Equatable {
        var evicted: Int
        var shed: Int
    }

    /// Reads `/metrics` of the first node; nil if it cannot be read.
    func readAdmissionCounts(then done: @escaping (AdmissionCounts?) -> Void) {
        let endpoint = target.endpoints[0]
        BenchHTTP.get(loop: loop, endpoint: endpoint, path: "/metrics") { result in
            done(try? Self.admissionCounts(inMetrics: String(decoding: result.get(), as: UTF8.self)))
        }
    }

    static func admissionCounts(inMetrics text: String) -> AdmissionCounts? {
        var values: [Substring: Int] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            if fields.count == 2, let value = Int(fields[1]) { values[fields[0]] = value }
        }
        guard let evicted = values["huddle_http_connections_evicted_total"], let shed = values["huddle_connections_shed_total"] else { return nil }
        return AdmissionCounts(evicted: evicted, shed: shed)
    }
}
