import HuddlePluginKit

extension PostgresDatabase {
    /// Events of `workspace` with seq > `since`, at most `limit` (nil: all retained).
    ///
    /// One statement reads the latest seq and the events up to it, so the
    /// page and its `latestSeq` agree even while other processes commit.
    func events(workspace: String, since: Int, epoch requestedEpoch: String?, limit: Int?) -> Result<EventPage, HistoryError> {
        do {
            let connection = try usableConnection()
            let epoch = self.epoch ?? ""
            let (latest, events) = try connection.query("""
                SELECT COALESCE(s.seq, 0), e.seq, e.type, e.at, e.by_user, e.by_name, e.by_session, e.data
                FROM (SELECT $1::text AS workspace) w
                LEFT JOIN workspace_seqs s ON s.workspace = w.workspace
                LEFT JOIN LATERAL (
                    SELECT * FROM events WHERE workspace = w.workspace AND seq > $2 AND seq <= s.seq
                    ORDER BY seq LIMIT $3
                ) e ON true
                ORDER BY e.seq
                """, [.text(workspace), .int(since), limit.map(PGValue.int) ?? .null]
            ) { rows -> (Int, [CommittedEvent]) in
                let latest = rows.count > 0 ? rows.int(0, 0) : 0
                let events = try (0..<rows.count).filter { !rows.isNull($0, 1) }.map { row in
                    let (data, encodedData) = try rows.withBytes(row, 7) { (try JSONParser.parse($0), Array($0)) }
                    return CommittedEvent(
                        workspace: workspace, seq: rows.int(row, 1), type: rows.text(row, 2), at: rows.text(row, 3),
                        by: Attribution(user: rows.text(row, 4), name: rows.text(row, 5), session: rows.optionalText(row, 6)),
                        data: data, encodedData: encodedData)
                }
                return (latest, events)
            }
            let gone = HistoryError.gone(latestSeq: latest, epoch: epoch)
            if let requestedEpoch, requestedEpoch != epoch { return .failure(gone) }
            guard since <= latest, since >= latest - historyLimit else { return .failure(gone) }
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
