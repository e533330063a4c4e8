import HuddleStore

/// Opens the `Store` a ``PluginHarness`` runs plugins against.
///
/// This is the kit's one factory point: every harness gets its store from a
/// `StoreOpener`, ``TestStore/open(in:)`` unless the test passes another.
public typealias StoreOpener = (TemporaryDirectory) throws -> Store

/// The stores the kit opens.
public enum TestStore {
    /// Events kept per workspace: more than any plugin test writes.
    public static let historyLimit = 1000

    /// A fresh, empty store as the server opens one: a SQLite file in
    /// `directory`, or a new PostgreSQL database when
    /// `HUDDLE_TEST_POSTGRES_URL` names a server (``TestStorage``), so the
    /// same plugin tests prove both backends. Replies run on the calling
    /// thread, since the kit waits for each request anyway.
    public static func open(in directory: TemporaryDirectory) throws -> Store {
        try Store(location: TestStorage.fresh(file: "huddle.sqlite", in: directory), historyLimit: historyLimit,
                  deliver: { $0() })
    }
}
