/// The PostgreSQL layout, as an ordered list of migrations.
///
/// `meta.schema_version` holds how many migrations a database has had.
/// Starting processes take an advisory lock first, so two nodes starting at
/// once migrate it once. Append new migrations, never edit a released one.
enum PostgresSchema {
    /// The advisory lock key migrations hold ("huddle" in ASCII).
    static let migrationLock = 0x68_75_64_64_6C_65

    static let metaTable = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"

    static let migrations: [String] = [
        // 1: the per-workspace seq counters, the event log, records and their index entries.
        // A workspace's counter row is updated in the transaction that appends
        // its events: its row lock orders commits, so seq is gap-free in commit
        // order even with several writers.
        """
        CREATE TABLE workspace_seqs (
            workspace TEXT PRIMARY KEY,
            seq BIGINT NOT NULL
        );
        CREATE TABLE events (
            workspace TEXT NOT NULL,
            seq BIGINT NOT NULL,
            type TEXT NOT NULL,
            at TEXT NOT NULL,
            by_user TEXT NOT NULL,
            by_name TEXT NOT NULL,
            by_session TEXT,
            data TEXT NOT NULL,
            PRIMARY KEY (workspace, seq)
        );
        CREATE TABLE records (
            created BIGSERIAL,
            plugin TEXT NOT NULL,
            workspace TEXT NOT NULL,
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (plugin, workspace, kind, id)
        );
        CREATE INDEX records_in_creation_order ON records (plugin, workspace, kind, created);
        CREATE TABLE record_index (
            plugin TEXT NOT NULL,
            workspace TEXT NOT NULL,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            id TEXT NOT NULL,
            PRIMARY KEY (plugin, workspace, kind, name, value, id)
        );
        CREATE INDEX record_index_by_record ON record_index (plugin, workspace, kind, id);
        """,
    ]

    static var currentVersion: Int { migrations.count }

    /// Brings the database to `currentVersion` and returns its epoch, made
    /// with the schema. Runs before pipeline mode, in one transaction.
    static func migrate(_ connection: PGConnection, name: String) throws -> String {
        // "already exists, skipping" notices would reach stderr through libpq.
        try connection.execute("SET client_min_messages TO warning")
        try connection.execute("BEGIN")
        do {
            try connection.execute("SELECT pg_advisory_xact_lock(\(migrationLock))")
            try connection.execute(metaTable)
            let version = Int(try connection.execute("SELECT value FROM meta WHERE key = 'schema_version'") ?? "0") ?? 0
            guard version <= currentVersion else {
                throw StoreOpenError(path: name, reason: "schema version \(version) is newer than this build knows "
                    + "(\(currentVersion)); use a newer huddle or another database")
            }
            for migration in migrations[version...] { try connection.execute(migration) }
            try connection.execute("""
                INSERT INTO meta (key, value) VALUES ('schema_version', $1)
                ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
                """, [.int(currentVersion)])
            try connection.execute("INSERT INTO meta (key, value) VALUES ('epoch', $1) ON CONFLICT (key) DO NOTHING",
                                   [.text(Identifiers.newEpoch())])
            let epoch = try connection.execute("SELECT value FROM meta WHERE key = 'epoch'")
            try connection.execute("COMMIT")
            return epoch ?? ""
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
    }
}
