import HuddlePluginKit

extension SQLiteDatabase {
    /// A batch failed on storage: every request in it fails, nothing is kept.
    private struct BatchFailure: Error {
        let cause: Error
    }

    /// Runs `jobs` in one transaction, each inside its own savepoint, and
    /// commits once (group commit: one fsync for the whole batch).
    ///
    /// Returns one reply per job, in order. A plugin error rolls back only its
    /// own request; any storage failure fails the whole batch as
    /// `unavailable`, leaves the file and `latestSeqs` as they were, and drops
    /// the connection so the next batch reopens it.
    func runBatch(_ jobs: [PluginJob], log: (String) -> Void) -> Result<[PluginReply], Error> {
        var batchSeqs: [String: Int] = [:]
        do {
            let connection = try usableConnection()
            try connection.run("BEGIN IMMEDIATE")
            do {
                var replies: [PluginReply] = []
                replies.reserveCapacity(jobs.count)
                for job in jobs {
                    replies.append(try run(job, on: connection, batchSeqs: &batchSeqs, log: log))
                }
                try trimHistory(of: batchSeqs, on: connection)
                try connection.run("COMMIT")
                latestSeqs.merge(batchSeqs) { _, new in new }
                return .success(replies)
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        } catch {
            dropConnection()
            return .failure((error as? BatchFailure)?.cause ?? error)
        }
    }

    private func run(_ job: PluginJob, on connection: SQLiteConnection, batchSeqs: inout [String: Int],
                     log: (String) -> Void) throws -> PluginReply {
        let request = job.request
        try connection.run("SAVEPOINT request")
        let records = SQLiteRecordStore(connection: connection, plugin: job.pluginName, workspace: request.workspace)
        let timestamp = Identifiers.timestampNow()
        let context = PluginContext(records: records, timestamp: timestamp, newID: Identifiers.newRecordID)
        let outcome: PluginOutcome
        do {
            outcome = try job.handle(request, context)
            if let failure = records.storageFailure { throw BatchFailure(cause: failure) }
        } catch let failure as BatchFailure {
            throw failure
        } catch {
            if let failure = records.storageFailure { throw BatchFailure(cause: failure) }
            try connection.execute("ROLLBACK TO request; RELEASE request")
            if let pluginError = error as? PluginError { return .failed(pluginError) }
            log("plugin \(job.pluginName) failed on \(request.type) in workspace \(request.workspace): \(error)")
            return .failed(PluginError(.internal, "the \(job.pluginName) plugin failed; the error is logged"))
        }
        switch outcome {
        case .read(let result):
            try connection.run("RELEASE request")
            return .read(result)
        case .write(let event):
            let seq = (batchSeqs[request.workspace] ?? latestSeqs[request.workspace] ?? 0) + 1
            let committed = try append(event, seq: seq, at: timestamp, request: request, on: connection)
            try connection.run("RELEASE request")
            batchSeqs[request.workspace] = seq
            return .committed(committed)
        }
    }

    private func append(_ event: PluginEvent, seq: Int, at timestamp: String, request: PluginRequest,
                        on connection: SQLiteConnection) throws -> CommittedEvent {
        let by = Attribution(user: request.user.id, name: request.user.name, session: request.session)
        let encodedData = event.data.encoded()
        try connection.statement("""
            INSERT INTO events (workspace, seq, type, at, by_user, by_name, by_session, data)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
            .bind(.text(request.workspace), .int(seq), .text(event.type), .text(timestamp), .text(by.user),
                  .text(by.name), by.session.map(SQLiteValue.text) ?? .null, .utf8(encodedData))
            .run()
        return CommittedEvent(workspace: request.workspace, seq: seq, type: event.type, at: timestamp, by: by,
                              data: event.data, encodedData: encodedData)
    }

    /// Keeps the last `historyLimit` events of each workspace the batch wrote to.
    private func trimHistory(of batchSeqs: [String: Int], on connection: SQLiteConnection) throws {
        let statement = try connection.statement("DELETE FROM events WHERE workspace = ? AND seq <= ?")
        for (workspace, latest) in batchSeqs where latest > settings.historyLimit {
            statement.reset()
            try statement.bind(.text(workspace), .int(latest - settings.historyLimit)).run()
        }
    }
}
