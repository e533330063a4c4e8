import HuddleStore

/// Opens the `Store` a ``PluginHarness`` runs plugins against.
///
/// This is the kit's one factory point: every harness gets its store from a
/// `StoreOpener`, ``TestStore/sqlite(in:)`` unless the test passes another,
/// so running the same plugin tests on another storage backend means
/// passing (or defaulting to) another opener, and nothing else.
public typealias StoreOpener = (TemporaryDirectory) throws -> Store

/// The stores the kit can open.
public enum TestStore {
    /// Events kept per workspace: more than any plugin test writes.
    public static let historyLimit = 1000

    /// A real SQLite file, `huddle.sqlite` in `directory`, exactly as the
    /// server opens it; replies run on the calling thread, since the kit
    /// waits for each request anyway.
    public static func sqlite(in directory: TemporaryDirectory) throws -> Store {
        try Store(path: directory.file("huddle.sqlite"), historyLimit: historyLimit, deliver: { $0() })
    }
}
