import CSQLite

/// A failed SQLite call: the result code and SQLite's own message.
struct SQLiteError: Error, CustomStringConvertible {
    let code: Int32
    let message: String

    /// A constraint violation is the caller's mistake (a duplicate id), not
    /// a failing disk, so it fails one request instead of the whole batch.
    var isConstraintViolation: Bool { code & 0xFF == SQLITE_CONSTRAINT }

    var description: String { "SQLite error \(code): \(message)" }
}
