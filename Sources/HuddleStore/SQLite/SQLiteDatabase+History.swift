import HuddlePluginKit

extension SQLiteDatabase {
    /// Events of `workspace` with seq > `since`, at most `limit` (nil: all retained).
    ///
    /// Runs after every write queued before it has committed, so the page and
    /// its `latestSeq` agree with the events already delivered.
    func events(workspace: String, since: Int, epoch requestedEpoch: String?, limit: Int?) -> Result<EventPage, HistoryError> {
        let latest = latestSeqs[workspace] ?? 0
        let gone = HistoryError.gone(latestSeq: latest, epoch: epoch)
        if let requestedEpoch, requestedEpoch != epoch { return .failure(gone) }
        guard since <= latest, since >= latest - settings.historyLimit else { return .failure(gone) }
        do {
            let connection = try usableConnection()
            let events = try connection.statement("""
                SELECT seq, type, at, by_user, by_name, by_session, data FROM events
                WHERE workspace = ? AND seq > ? ORDER BY seq LIMIT ?
                """)
                .bind(.text(workspace), .int(since), .int(limit ?? -1))
                .all { row in
                    let (data, encodedData) = try row.withBytes(6) { (try JSONParser.parse($0), Array($0)) }
                    return CommittedEvent(
                        workspace: workspace, seq: row.int(0), type: row.text(1), at: row.text(2),
                        by: Attribution(user: row.text(3), name: row.text(4), session: row.optionalText(5)),
                        data: data, encodedData: encodedData)
                }
            // After a restart with a larger history limit, the range check allows
            // a `since` whose successors were trimmed under the old limit.
            if since < latest, limit != 0, events.first?.seq != since + 1 { return .failure(gone) }
            return .success(EventPage(events: events, latestSeq: latest, epoch: epoch))
        } catch {
            dropConnection()
            return .failure(.unavailable("storage is failing (\(error)); try again"))
        }
    }
}
