import CSQLite

/// A value bound to a statement parameter.
enum SQLiteValue {
    case int(Int)
    case text(String)
    /// UTF-8 text already encoded, such as a JSON document.
    case utf8([UInt8])
    case null
}

/// A prepared statement of a `SQLiteConnection`.
final class SQLiteStatement {
    private var handle: OpaquePointer?
    private unowned let connection: SQLiteConnection

    /// Tells SQLite to copy bound text, since Swift's buffers do not outlive the call.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ handle: OpaquePointer, connection: SQLiteConnection) {
        self.handle = handle
        self.connection = connection
    }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func finalize() {
        sqlite3_finalize(handle)
        handle = nil
    }

    /// Binds `values` to parameters 1, 2, … in order.
    @discardableResult
    func bind(_ values: SQLiteValue...) throws(SQLiteError) -> SQLiteStatement {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .int(let number): code = sqlite3_bind_int64(handle, index, sqlite3_int64(number))
            case .text(let text): code = sqlite3_bind_text(handle, index, text, -1, Self.transient)
            case .utf8(let bytes):
                // An empty array may have no storage; SQLite needs a non-null pointer for "".
                code = bytes.isEmpty ? sqlite3_bind_text(handle, index, "", 0, Self.transient)
                    : bytes.withUnsafeBytes { buffer in
                        sqlite3_bind_text(handle, index, buffer.baseAddress!.assumingMemoryBound(to: CChar.self),
                                          Int32(buffer.count), Self.transient)
                    }
            case .null: code = sqlite3_bind_null(handle, index)
            }
            guard code == SQLITE_OK else { throw connection.error(code) }
        }
        return self
    }

    /// Advances to the next row; `false` when the statement is done.
    private func step() throws(SQLiteError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let failure = connection.error(code)
            sqlite3_reset(handle)
            throw failure
        }
    }

    /// Runs a statement that returns no rows.
    func run() throws(SQLiteError) {
        while try step() {}
    }

    /// The first row read by `row`, or `nil`; the statement is reset after,
    /// so it holds no read snapshot open.
    func first<T>(_ row: (SQLiteStatement) throws -> T) throws -> T? {
        defer { sqlite3_reset(handle) }
        return try step() ? try row(self) : nil
    }

    /// Every row read by `row`, in order.
    func all<T>(_ row: (SQLiteStatement) throws -> T) throws -> [T] {
        defer { sqlite3_reset(handle) }
        var rows: [T] = []
        while try step() { rows.append(try row(self)) }
        return rows
    }

    /// Number of rows the last `run` changed.
    var changes: Int { Int(sqlite3_changes(sqlite3_db_handle(handle))) }

    // MARK: Columns of the current row (0-based)

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    func text(_ column: Int32) -> String {
        withBytes(column) { String(decoding: $0, as: UTF8.self) }
    }

    func optionalText(_ column: Int32) -> String? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : text(column)
    }

    /// The raw bytes of a text column, valid only inside `body`.
    func withBytes<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let start = sqlite3_column_text(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        return try body(UnsafeRawBufferPointer(start: start, count: start == nil ? 0 : count))
    }
}
