import CLibPQ
import Foundation
import HuddleStore

/// The backend the storage tests run on. By default each test gets a SQLite
/// file; with `HUDDLE_TEST_POSTGRES_URL` set (scripts/test starts a
/// throw-away PostgreSQL server and sets it), each gets a new, empty database
/// on that server instead, so the same tests prove both backends.
public enum TestStorage {
    /// The environment variable naming the PostgreSQL server's admin URL.
    public static let postgresVariable = "HUDDLE_TEST_POSTGRES_URL"

    /// The admin URL of the test PostgreSQL server, if the tests run on PostgreSQL.
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment[postgresVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether the tests run on PostgreSQL.
    public static var isPostgres: Bool { postgresURL != nil }

    /// A new, empty place to store: `file` in `directory`, or a new database.
    public static func fresh(file: String, in directory: TemporaryDirectory) throws -> StorageLocation {
        guard let postgresURL else { return .sqlite(path: directory.file(file)) }
        let url = try createDatabase(on: postgresURL)
        return .postgres(url: url, redacted: url)
    }

    /// The same as `fresh`, as `huddle serve --storage` takes it.
    public static func freshArgument(file: String, in directory: TemporaryDirectory) throws -> String {
        switch try fresh(file: file, in: directory) {
        case .sqlite(let path): return path
        case .postgres(let url, _): return url
        }
    }

    /// Creates a database with a random name on the server of `url` and returns its URL.
    public static func createDatabase(on url: String) throws -> String {
        let name = "huddle_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try execute("CREATE DATABASE \(name)", on: url)
        return replacingDatabase(of: url, with: name)
    }

    /// Runs one statement with its own connection (test set-up and checks).
    public static func execute(_ sql: String, on url: String) throws {
        let connection = PQconnectdb(url)
        defer { PQfinish(connection) }
        guard PQstatus(connection) == CONNECTION_OK else { throw Failure(message(connection)) }
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { throw Failure(message(connection)) }
    }

    /// The first column of every row of `sql`, as text.
    public static func column(_ sql: String, on url: String) throws -> [String?] {
        let connection = PQconnectdb(url)
        defer { PQfinish(connection) }
        guard PQstatus(connection) == CONNECTION_OK else { throw Failure(message(connection)) }
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_TUPLES_OK else { throw Failure(message(connection)) }
        return (0..<PQntuples(result)).map { row in
            PQgetisnull(result, row, 0) == 1 ? nil : String(cString: PQgetvalue(result, row, 0))
        }
    }

    private static func replacingDatabase(of url: String, with name: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/" + name
        return components.string!
    }

    private static func message(_ connection: OpaquePointer?) -> String {
        connection.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
    }

    /// A set-up statement failed; `description` is PostgreSQL's message.
    public struct Failure: Error, CustomStringConvertible {
        /// What PostgreSQL said.
        public let description: String
        public init(_ description: String) { self.description = description }
    }
}
