/// The database layout, as an ordered list of migrations.
///
/// `PRAGMA user_version` holds how many migrations a file has had; opening a
/// file runs the missing ones in one transaction. Append new migrations,
/// never edit a released one.
enum SQLiteSchema {
    static let migrations: [String] = [
        // 1: meta, the event log, records and their index entries.
        """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE events (
            workspace TEXT NOT NULL,
            seq INTEGER NOT NULL,
            type TEXT NOT NULL,
            at TEXT NOT NULL,
            by_user TEXT NOT NULL,
            by_name TEXT NOT NULL,
            by_session TEXT,
            data TEXT NOT NULL,
            PRIMARY KEY (workspace, seq)
        ) WITHOUT ROWID;
        CREATE TABLE records (
            created INTEGER PRIMARY KEY,
            plugin TEXT NOT NULL,
            workspace TEXT NOT NULL,
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            value TEXT NOT NULL,
            UNIQUE (plugin, workspace, kind, id)
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
        ) WITHOUT ROWID;
        CREATE INDEX record_index_by_record ON record_index (plugin, workspace, kind, id);
        """,
        // 2: events move to a rowid table. In a WITHOUT ROWID table a row over
        // about 1 KB spills into overflow pages, which every insert writes and
        // every retention delete reads back from disk; a kanban event with its
        // column orders is that big.
        """
        CREATE TABLE events_by_rowid (
            workspace TEXT NOT NULL,
            seq INTEGER NOT NULL,
            type TEXT NOT NULL,
            at TEXT NOT NULL,
            by_user TEXT NOT NULL,
            by_name TEXT NOT NULL,
            by_session TEXT,
            data TEXT NOT NULL,
            UNIQUE (workspace, seq)
        );
        INSERT INTO events_by_rowid (workspace, seq, type, at, by_user, by_name, by_session, data)
            SELECT workspace, seq, type, at, by_user, by_name, by_session, data FROM events ORDER BY workspace, seq;
        DROP TABLE events;
        ALTER TABLE events_by_rowid RENAME TO events;
        """,
    ]

    /// The `user_version` of a fully migrated file.
    static var currentVersion: Int { migrations.count }
}
