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

    /// Runs `jobs` in one transaction, each inside its own savepoint, then
    /// gives the batch's events their seqs and commits once.
    ///
    /// Seqs are taken at the end, from each workspace's counter row, which
    /// the batch's workspace locks already guard. A plugin error rolls back only its own request; any storage failure
    /// fails the whole batch as `unavailable` and drops the connection.
    func runBatch(_ jobs: [PluginJob], log: (String) -> Void) -> Result<[PluginReply], Error> {
        do {
            let connection = try usableConnection()
            try connection.enqueue("BEGIN")
            try lockWorkspaces(Set(jobs.map(\.request.workspace)), on: connection)
            do {
                var results: [RequestResult] = []
                results.reserveCapacity(jobs.count)
                for job in jobs { results.append(try run(job, on: connection, log: log)) }
                let replies = try commit(results, on: connection)
                return .success(replies)
            } catch {
                throw (error as? BatchFailure)?.cause ?? error
            }
        } catch {
            dropConnection()
            return .failure(error)
        }
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

    private func run(_ job: PluginJob, on connection: PGConnection, log: (String) -> Void) throws -> RequestResult {
        let request = job.request
        let records = PGRecordStore(connection: connection, plugin: job.pluginName, workspace: request.workspace,
                                    savepoints: true)
        let timestamp = Identifiers.timestampNow()
        let context = PluginContext(records: records, timestamp: timestamp, newID: Identifiers.newRecordID)
        let outcome: PluginOutcome
        do {
            outcome = try job.handle(request, context)
            try records.checkWrites()
        } catch {
            // Settle the request's queued writes before undoing them, so no
            // result of theirs is read as the next request's.
            try? records.checkWrites()
            if let failure = records.storageFailure { throw BatchFailure(cause: failure) }
            try records.rollBack()
            if let pluginError = error as? PluginError { return .done(.failed(pluginError)) }
            log("plugin \(job.pluginName) failed on \(request.type) in workspace \(request.workspace): \(error)")
            return .done(.failed(PluginError(.internal, "the \(job.pluginName) plugin failed; the error is logged")))
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
    private func commit(_ results: [RequestResult], on connection: PGConnection) throws -> [PluginReply] {
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
        if !slots.isEmpty { try connection.sync() }
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
        for (workspace, latest) in latestSeqs where latest > historyLimit {
            try connection.enqueue("DELETE FROM events WHERE workspace = $1 AND seq <= $2",
                                   [.text(workspace), .int(latest - historyLimit)])
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
