import CLibPQ

/// A failed PostgreSQL call: the server's message and SQLSTATE, or libpq's
/// own message for a connection that failed.
struct PGError: Error, CustomStringConvertible {
    let message: String
    let sqlState: String?

    init(message: String, sqlState: String?) {
        self.message = message
        self.sqlState = sqlState
    }

    init(_ result: OpaquePointer) {
        message = PGConnection.message(PQresultErrorMessage(result))
        let field = PQresultErrorField(result, Int32(UInt8(ascii: "C")))
        sqlState = field.map { String(cString: $0) }
    }

    var description: String { sqlState.map { "PostgreSQL error \($0): \(message)" } ?? "PostgreSQL: \(message)" }
}
