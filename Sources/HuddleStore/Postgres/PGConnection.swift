import CLibPQ
import Foundation

/// One libpq connection in pipeline mode, with a cache of prepared statements.
///
/// Statements are *queued* (`enqueue`) and leave together at the next `sync`,
/// so the writes of a request and the bookkeeping around them (savepoints,
/// the event log, `COMMIT`) cost no round trip each: a request costs one
/// round trip per read, plus one to check its writes. A statement whose
/// result the caller needs (`query`) syncs at once.
///
/// Not thread-safe: the store thread is its only user.
final class PGConnection {
    /// What the caller expects of a queued statement's result.
    enum Expectation {
        /// Any success.
        case success
        /// Exactly this many rows changed; otherwise `mismatch` is kept for
        /// `takeMismatches` (a plugin's mistake such as a duplicate id, not a
        /// storage failure, and no reason to stop the statements after it).
        case rowsAffected(Int, mismatch: PGWriteMismatch)
        /// The command tag must be this (a `COMMIT` of an aborted transaction answers `ROLLBACK`).
        case commandTag(String)
        /// The rows are kept in `slot` for the caller.
        case rows(PGResultSlot)
    }

    private var handle: OpaquePointer?
    private var preparedNames: [String: String] = [:]
    private var pending: [Expectation] = []
    /// Writes that changed another number of rows than expected, as the syncs found them.
    private var mismatches: [PGWriteMismatch] = []

    /// Connects with a libpq connection string or `postgres://` URL, and runs
    /// `setUp` (migrations: plain statements, before pipeline mode) first.
    init(conninfo: String, setUp: (PGConnection) throws -> Void) throws {
        let connection = PQconnectdb(conninfo)
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let message = connection.map { Self.message(PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(connection)
            throw PGError(message: message, sqlState: nil)
        }
        handle = connection
        do {
            try setUp(self)
            guard PQenterPipelineMode(connection) == 1 else { throw connectionError() }
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    func close() {
        PQfinish(handle)
        handle = nil
        pending = []
    }

    // MARK: Outside pipeline mode (set-up)

    /// Runs `sql` (one or more statements, no parameters) and returns the
    /// first column of the first row, if any.
    @discardableResult
    func execute(_ sql: String, _ parameters: [PGValue] = []) throws -> String? {
        let result = parameters.isEmpty
            ? PQexec(handle, sql)
            : withCStrings(parameters) { PQexecParams(handle, sql, Int32(parameters.count), nil, $0, nil, nil, 0) }
        defer { PQclear(result) }
        guard let result else { throw connectionError() }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { throw PGError(result) }
        guard PQntuples(result) > 0, PQgetisnull(result, 0, 0) == 0 else { return nil }
        return String(cString: PQgetvalue(result, 0, 0))
    }

    // MARK: Pipeline

    /// Queues `sql`; its result is checked against `expecting` at the next `sync`.
    func enqueue(_ sql: String, _ parameters: [PGValue] = [], expecting: Expectation = .success) throws {
        let name = try preparedName(for: sql, parameterCount: parameters.count)
        let sent = withCStrings(parameters) {
            PQsendQueryPrepared(handle, name, Int32(parameters.count), $0, nil, nil, 0)
        }
        guard sent == 1 else { throw connectionError() }
        pending.append(expecting)
    }

    /// Queues `sql` and syncs: `body` reads its rows.
    func query<T>(_ sql: String, _ parameters: [PGValue] = [], _ body: (PGRows) throws -> T) throws -> T {
        let slot = PGResultSlot()
        try enqueue(sql, parameters, expecting: .rows(slot))
        try sync()
        return try body(slot.rows!)
    }

    /// Whether statements are queued that no `sync` has checked yet.
    var hasPending: Bool { !pending.isEmpty }

    /// Sends everything queued and reads every result in order. Throws the
    /// first failed statement's `PGError` once all results are read (the
    /// connection is then ready for the next statement, and the transaction
    /// aborted); write mismatches are kept for `takeMismatches`.
    func sync() throws {
        guard PQpipelineSync(handle) == 1 else { throw connectionError() }
        let expectations = pending
        pending = []
        var failure: PGError?
        for expectation in expectations {
            guard let result = PQgetResult(handle) else { throw connectionError() }
            if let problem = check(result, against: expectation) {
                failure = failure ?? problem
            }
            // Each statement's results end with a null result.
            while let extra = PQgetResult(handle) { PQclear(extra) }
        }
        guard let syncResult = PQgetResult(handle) else { throw connectionError() }
        let synced = PQresultStatus(syncResult) == PGRES_PIPELINE_SYNC
        PQclear(syncResult)
        guard synced else { throw failure ?? connectionError() }
        if let failure { throw failure }
    }

    /// The write mismatches found since the last call.
    func takeMismatches() -> [PGWriteMismatch] {
        defer { mismatches = [] }
        return mismatches
    }

    private func check(_ result: OpaquePointer, against expectation: Expectation) -> PGError? {
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            defer { PQclear(result) }
            if status == PGRES_PIPELINE_ABORTED {
                return PGError(message: "statement skipped after an earlier failure", sqlState: nil)
            }
            return PGError(result)
        }
        switch expectation {
        case .success:
            PQclear(result)
        case .rowsAffected(let count, let mismatch):
            let affected = Int(String(cString: PQcmdTuples(result))) ?? -1
            PQclear(result)
            if affected != count { mismatches.append(mismatch) }
        case .commandTag(let tag):
            let actual = String(cString: PQcmdStatus(result))
            PQclear(result)
            if actual != tag { return PGError(message: "\(tag) answered \(actual)", sqlState: nil) }
        case .rows(let slot):
            slot.rows = PGRows(result)
        }
        return nil
    }

    // MARK: Helpers

    /// The name of `sql` as a prepared statement, preparing it (queued) the first time.
    private func preparedName(for sql: String, parameterCount: Int) throws -> String {
        if let name = preparedNames[sql] { return name }
        let name = "s\(preparedNames.count + 1)"
        guard PQsendPrepare(handle, name, sql, Int32(parameterCount), nil) == 1 else { throw connectionError() }
        pending.append(.success)
        preparedNames[sql] = name
        return name
    }

    private func connectionError() -> PGError {
        PGError(message: handle.map { Self.message(PQerrorMessage($0)) } ?? "the connection is closed", sqlState: nil)
    }

    static func message(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "unknown error" }
        return String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Calls `body` with `values` as NUL-terminated text parameters (NULL for `.null`).
    private func withCStrings<T>(_ values: [PGValue], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> T) -> T {
        let strings: [UnsafeMutablePointer<CChar>?] = values.map { $0.cString() }
        defer { for string in strings { free(string) } }
        let pointers = strings.map { $0.map { UnsafePointer($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}

/// Where a queued query's rows land once its pipeline is synced.
final class PGResultSlot {
    var rows: PGRows?
}

/// A write that did not change the row it was meant to: the plugin's
/// mistake (`error`), made by the batch's request number `request` (`nil`
/// outside a batch).
struct PGWriteMismatch {
    let request: Int?
    let error: RecordStoreError
}
