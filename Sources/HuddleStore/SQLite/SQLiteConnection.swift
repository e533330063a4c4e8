import CSQLite

/// One SQLite database connection with a cache of prepared statements.
///
/// Not thread-safe: the store thread is its only user.
final class SQLiteConnection {
    private var handle: OpaquePointer?
    private var statements: [String: SQLiteStatement] = [:]

    /// Opens (and, when `create` is set, creates) the database at `path`.
    /// SQLite falls back to a read-only connection when the file cannot be written.
    init(path: String, create: Bool) throws(SQLiteError) {
        var flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
        if create { flags |= SQLITE_OPEN_CREATE }
        var opened: OpaquePointer?
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(opened)
            throw SQLiteError(code: code, message: message)
        }
        handle = opened
        sqlite3_extended_result_codes(opened, 1)
    }

    deinit { close() }

    /// Whether SQLite opened the file without write access.
    var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws(SQLiteError) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw error(code) }
    }

    /// Runs one statement from the statement cache: for the statements every
    /// batch repeats (savepoints, commit), which `execute` would compile each time.
    func run(_ sql: String) throws(SQLiteError) {
        try statement(sql).run()
    }

    /// The prepared statement for `sql`, compiled once and reset before reuse.
    func statement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var prepared: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard code == SQLITE_OK, let prepared else { throw error(code) }
        let statement = SQLiteStatement(prepared, connection: self)
        statements[sql] = statement
        return statement
    }

    /// Finalizes every statement and closes the connection; safe to call twice.
    func close() {
        for statement in statements.values { statement.finalize() }
        statements = [:]
        sqlite3_close_v2(handle)
        handle = nil
    }

    /// Calls `hook` after each commit with the number of pages in the WAL;
    /// this replaces SQLite's automatic checkpoint.
    func onWALCommit(context: UnsafeMutableRawPointer,
                     _ hook: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32) {
        sqlite3_wal_hook(handle, hook, context)
    }

    /// A PASSIVE checkpoint: copies what it can of the WAL into the database
    /// file without waiting for, or blocking, other connections. Returns how
    /// many of the WAL's pages are in the database file now (-1: not in WAL mode).
    func checkpoint() throws(SQLiteError) -> Int32 {
        var checkpointedPages: Int32 = 0
        let code = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, &checkpointedPages)
        guard code == SQLITE_OK else { throw error(code) }
        return checkpointedPages
    }

    func error(_ code: Int32) -> SQLiteError {
        SQLiteError(code: code, message: handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code)))
    }
}
