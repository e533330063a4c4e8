import HuddlePluginKit

/// The records a batch has read or written, by plugin, workspace, kind and id
/// (`nil`: known to be missing), so a record every request of a batch reads
/// (a kanban board's order) costs one round trip per batch, not per request.
///
/// Sound only inside one batch: its workspace locks make this process the
/// only writer of those workspaces until the commit. A request's own writes
/// wait in `pending` until its savepoint is released, and are dropped if it
/// is rolled back; the whole cache goes with its batch.
final class BatchRecordCache {
    struct Key: Hashable {
        let plugin: String
        let workspace: String
        let kind: String
        let id: String
    }

    private var committed: [Key: StoredRecord?] = [:]
    private var pending: [Key: StoredRecord?] = [:]

    /// `.some(nil)`: known missing; `nil`: not known.
    func lookup(_ key: Key) -> StoredRecord?? {
        if let value = pending[key] { return value }
        return committed[key]
    }

    /// What the database said (outside any request's writes).
    func remember(_ key: Key, _ record: StoredRecord?) {
        committed[key] = record
    }

    /// The current request wrote `record` (`nil`: deleted).
    func wrote(_ key: Key, _ record: StoredRecord?) {
        pending[key] = record
    }

    func release() {
        committed.merge(pending) { _, new in new }
        pending = [:]
    }

    func rollBack() {
        pending = [:]
    }
}
