import CLibPQ

/// The rows of one statement's result, read as text. Owns the libpq result.
final class PGRows {
    private let result: OpaquePointer

    init(_ result: OpaquePointer) { self.result = result }

    deinit { PQclear(result) }

    var count: Int { Int(PQntuples(result)) }

    func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(result, Int32(row), Int32(column)) == 1 }

    func text(_ row: Int, _ column: Int) -> String { String(cString: PQgetvalue(result, Int32(row), Int32(column))) }

    func optionalText(_ row: Int, _ column: Int) -> String? { isNull(row, column) ? nil : text(row, column) }

    func int(_ row: Int, _ column: Int) -> Int { Int(text(row, column)) ?? 0 }

    /// The value's bytes, valid only inside `body` (JSON is parsed from them without a copy).
    func withBytes<T>(_ row: Int, _ column: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let length = Int(PQgetlength(result, Int32(row), Int32(column)))
        return try body(UnsafeRawBufferPointer(start: PQgetvalue(result, Int32(row), Int32(column)), count: length))
    }

    /// One value per row.
    func map<T>(_ transform: (Int) throws -> T) rethrows -> [T] { try (0..<count).map(transform) }
}
