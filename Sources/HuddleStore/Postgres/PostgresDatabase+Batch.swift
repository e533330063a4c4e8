import HuddlePluginKit

extension PostgresDatabase {
    /// A batch failed on storage: every request in it fails, nothing is kept.
    private struct BatchFailure: Error {
        let cause: Error
    }

    /// A plugin write waiting for its seq, which is given at the end of the batch.
    private struct PendingEvent {
        let event: PluginEvent
        let request: PluginRequest
        let timestamp: String
    }

    private enum RequestResult {
        case done(PluginReply)
        case write(PendingEvent)
    }

    /// Requests whose writes did not apply (a plugin's mistake found after
    /// their savepoint was released): the transaction is rolled back and the
    /// batch runs again without them.
    private struct BatchRetry: Error {
        let requests: Set<Int>
    }

    /// Runs `jobs` in one transaction, each inside its own savepoint, then
    /// gives the batch's events their seqs and commits once.
    ///
    /// Seqs are taken at the end, from each workspace's counter row, which
    /// the batch's workspace locks already guard. A plugin error rolls back
    /// only its own request. A write that did not apply (a duplicate id, a
    /// missing record) is found when the pipeline next syncs, possibly after
    /// its request was released: then the whole transaction is rolled back
    /// and run again without that request, which fails as `internal`; no
    /// reply leaves before the commit, so nobody sees the first attempt. Any
    /// storage failure fails the whole batch as `unavailable` and drops the
    /// connection.
    func runBatch(_ jobs: [PluginJob], log: (String) -> Void) -> Result<[PluginReply], Error> {
        var excluded: [Int: PluginReply] = [:]
        do {
            let connection = try usableConnection()
            while true {
                do {
                    return .success(try attempt(jobs, excluding: excluded, on: connection, log: log))
                } catch let retry as BatchRetry {
                    try connection.enqueue("ROLLBACK")
                    try connection.sync()
                    _ = connection.takeMismatches()
                    for index in retry.requests {
                        let job = jobs[index]
                        log("plugin \(job.pluginName) wrote a record wrongly on \(job.request.type) in workspace "
                            + "\(job.request.workspace); the request is refused")
                        excluded[index] = .failed(Self.pluginFailed(job.pluginName))
                    }
                }
            }
        } catch {
            dropConnection()
            return .failure((error as? BatchFailure)?.cause ?? error)
        }
    }

    private func attempt(_ jobs: [PluginJob], excluding excluded: [Int: PluginReply], on connection: PGConnection,
                         log: (String) -> Void) throws -> [PluginReply] {
        try connection.enqueue("BEGIN")
        try lockWorkspaces(Set(jobs.map(\.request.workspace)), on: connection)
        var rolledBack: Set<Int> = []
        let cache = BatchRecordCache()
        try prefetch(jobs, excluding: excluded, into: cache, on: connection)
        var results: [RequestResult] = []
        results.reserveCapacity(jobs.count)
        for (index, job) in jobs.enumerated() {
            if let reply = excluded[index] {
                results.append(.done(reply))
            } else {
                results.append(try run(job, index: index, on: connection, cache: cache, rolledBack: &rolledBack, log: log))
            }
        }
        return try commit(results, on: connection, rolledBack: rolledBack)
    }

    /// Reads every record the batch's requests said they would read
    /// (`PluginJob.reads`) in one round trip, the one the workspace locks
    /// take anyway, so that each request finds them in the batch's cache
    /// rather than waiting on a read of its own.
    private func prefetch(_ jobs: [PluginJob], excluding excluded: [Int: PluginReply], into cache: BatchRecordCache,
                          on connection: PGConnection) throws {
        var seen: Set<BatchRecordCache.Key> = []
        var slots: [(key: BatchRecordCache.Key, slot: PGResultSlot)] = []
        for (index, job) in jobs.enumerated() where excluded[index] == nil {
            for read in job.reads(job.request) {
                let key = BatchRecordCache.Key(plugin: job.pluginName, workspace: job.request.workspace, kind: read.kind, id: read.id)
                guard seen.insert(key).inserted else { continue }
                let slot = PGResultSlot()
                try connection.enqueue(PGRecordStore.selectByKey, PGRecordStore.parameters(of: key), expecting: .rows(slot))
                slots.append((key, slot))
            }
        }
        guard !slots.isEmpty else { return }
        try connection.sync()
        for (key, slot) in slots { cache.remember(key, try PGRecordStore.record(in: slot.rows!)) }
    }

    static func pluginFailed(_ plugin: String) -> PluginError {
        PluginError(.internal, "the \(plugin) plugin failed; the error is logged")
    }

    /// The mismatches found so far: those of requests already undone mean
    /// nothing; those of released requests other than `own` need a retry.
    /// Returns `own`'s, if it has one.
    private func settle(_ connection: PGConnection, own: Int?, rolledBack: Set<Int>) throws -> RecordStoreError? {
        let found = connection.takeMismatches().filter { $0.request.map { !rolledBack.contains($0) } ?? false }
        let others = Set(found.compactMap(\.request).filter { $0 != own })
        if !others.isEmpty { throw BatchRetry(requests: others) }
        return found.first { $0.request == own }?.error
    }

    /// The advisory lock namespace of workspace writes ("Hudd").
    static let workspaceLockClass = 0x4875_6464

    /// Serializes writes per workspace across every process on this database:
    /// a plugin reads, checks (`version`, a unique email) and writes as the
    /// only writer of its workspace, as on SQLite. The locks are taken for
    /// the whole batch at once, in sorted order, so two batches never
    /// deadlock; they are released by the commit.
    func lockWorkspaces(_ workspaces: Set<String>, on connection: PGConnection) throws {
        for workspace in workspaces.sorted() {
            try connection.enqueue("SELECT pg_advisory_xact_lock($1::int, hashtext($2))",
                                   [.int(Self.workspaceLockClass), .text(workspace)])
        }
    }

    private func run(_ job: PluginJob, index: Int, on connection: PGConnection, cache: BatchRecordCache,
                     rolledBack: inout Set<Int>, log: (String) -> Void) throws -> RequestResult {
        let request = job.request
        let records = PGRecordStore(connection: connection, plugin: job.pluginName, workspace: request.workspace,
                                    request: index, cache: cache)
        let timestamp = Identifiers.timestampNow()
        let context = PluginContext(records: records, timestamp: timestamp, newID: Identifiers.newRecordID)
        let outcome: PluginOutcome
        do {
            outcome = try job.handle(request, context)
            if let failure = records.storageFailure { throw BatchFailure(cause: failure) }
            if let mistake = try settle(connection, own: index, rolledBack: rolledBack) { throw mistake }
        } catch let failure as BatchFailure {
            throw failure
        } catch let retry as BatchRetry {
            throw retry
        } catch {
            if let failure = records.storageFailure { throw BatchFailure(cause: failure) }
            try records.rollBack()
            rolledBack.insert(index)
            if let pluginError = error as? PluginError { return .done(.failed(pluginError)) }
            log("plugin \(job.pluginName) failed on \(request.type) in workspace \(request.workspace): \(error)")
            return .done(.failed(Self.pluginFailed(job.pluginName)))
        }
        try records.release()
        switch outcome {
        case .read(let result):
            return .done(.read(result))
        case .write(let event):
            return .write(PendingEvent(event: event, request: request, timestamp: timestamp))
        }
    }

    /// Takes the seqs, appends the events, trims history and commits: one round trip for the seqs, one for the rest.
    private func commit(_ results: [RequestResult], on connection: PGConnection, rolledBack: Set<Int>) throws -> [PluginReply] {
        var counts: [String: Int] = [:]
        for case .write(let pending) in results { counts[pending.request.workspace, default: 0] += 1 }
        var slots: [(workspace: String, slot: PGResultSlot)] = []
        for workspace in counts.keys.sorted() {
            let slot = PGResultSlot()
            try connection.enqueue("""
                INSERT INTO workspace_seqs (workspace, seq) VALUES ($1, $2)
                ON CONFLICT (workspace) DO UPDATE SET seq = workspace_seqs.seq + EXCLUDED.seq RETURNING seq
                """, [.text(workspace), .int(counts[workspace]!)], expecting: .rows(slot))
            slots.append((workspace, slot))
        }
        // This sync also settles every write still queued: none may be wrong when COMMIT goes.
        if !slots.isEmpty || connection.hasPending { try connection.sync() }
        _ = try settle(connection, own: nil, rolledBack: rolledBack)
        // The counter now holds each workspace's last seq of this batch.
        var nextSeqs: [String: Int] = [:]
        var latestSeqs: [String: Int] = [:]
        for (workspace, slot) in slots {
            let latest = slot.rows!.int(0, 0)
            latestSeqs[workspace] = latest
            nextSeqs[workspace] = latest - counts[workspace]! + 1
        }
        var replies: [PluginReply] = []
        replies.reserveCapacity(results.count)
        for result in results {
            switch result {
            case .done(let reply):
                replies.append(reply)
            case .write(let pending):
                let workspace = pending.request.workspace
                let seq = nextSeqs[workspace]!
                nextSeqs[workspace] = seq + 1
                replies.append(.committed(try append(pending, seq: seq, on: connection)))
            }
        }
        // Only the events this batch pushed out of the history: a range from
        // the oldest kept would walk every dead index entry earlier trims left
        // until VACUUM (it cost 1.6 ms a batch in S4).
        for (workspace, latest) in latestSeqs where latest > historyLimit {
            try connection.enqueue("DELETE FROM events WHERE workspace = $1 AND seq > $2 AND seq <= $3",
                                   [.text(workspace), .int(latest - counts[workspace]! - historyLimit), .int(latest - historyLimit)])
        }
        try connection.enqueue("COMMIT", expecting: .commandTag("COMMIT"))
        try connection.sync()
        return replies
    }

    private func append(_ pending: PendingEvent, seq: Int, on connection: PGConnection) throws -> CommittedEvent {
        let request = pending.request
        let by = Attribution(user: request.user.id, name: request.user.name, session: request.session)
        let encodedData = pending.event.data.encoded()
        try connection.enqueue("""
            INSERT INTO events (workspace, seq, type, at, by_user, by_name, by_session, data)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, [.text(request.workspace), .int(seq), .text(pending.event.type), .text(pending.timestamp),
                  .text(by.user), .text(by.name), by.session.map(PGValue.text) ?? .null, .utf8(encodedData)])
        return CommittedEvent(workspace: request.workspace, seq: seq, type: pending.event.type, at: pending.timestamp,
                              by: by, data: pending.event.data, encodedData: encodedData)
    }
}
