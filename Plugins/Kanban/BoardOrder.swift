import HuddlePluginKit

/// The order of the tasks in every column, kept in one record (kind
/// `board`, id `order`) as `{"<column>": [task ids…]}`.
///
/// Keeping order apart from the tasks means moving one task rewrites this
/// record and that task only: the other tasks' versions stay put, so a
/// client editing another task never gets a `conflict` because of a move.
/// A task's `column` and `position` are read from here.
struct BoardOrder {
    static let kind = "board"
    static let id = "order"

    private var columns: [String: [String]]
    /// The stored record, or `nil` before the board's first write.
    private let stored: StoredRecord?

    static func load(from records: RecordStore) throws -> BoardOrder {
        let stored = try records.get(kind: kind, id: id)
        var columns: [String: [String]] = [:]
        for (column, ids) in stored?.value.objectValue ?? [:] {
            columns[column] = ids.arrayValue?.compactMap(\.stringValue) ?? []
        }
        return BoardOrder(columns: columns, stored: stored)
    }

    func save(to records: RecordStore) throws {
        let value = JSONValue.object(columns.mapValues { .array($0.map(JSONValue.string)) })
        if let stored {
            try records.update(stored.revised(to: value), kind: Self.kind)
        } else {
            try records.insert(.first(id: Self.id, value: value), kind: Self.kind)
        }
    }

    func tasks(in column: String) -> [String] {
        columns[column] ?? []
    }

    /// The column holding `taskID` and the task's 0-based position in it.
    func place(of taskID: String) -> (column: String, position: Int)? {
        for (column, ids) in columns {
            if let position = ids.firstIndex(of: taskID) { return (column, position) }
        }
        return nil
    }

    /// Inserts `taskID` into `column` at `position`, clamped to
    /// `[0, length]`; `nil` puts it at the end.
    mutating func insert(_ taskID: String, into column: String, at position: Int?) {
        var ids = tasks(in: column)
        let clamped = min(max(position ?? ids.count, 0), ids.count)
        ids.insert(taskID, at: clamped)
        columns[column] = ids
    }

    /// Takes `taskID` out of its column and returns that column.
    mutating func remove(_ taskID: String) -> String? {
        guard let (column, position) = place(of: taskID) else { return nil }
        columns[column]?.remove(at: position)
        return column
    }

    /// `{"<column>": [ids…]}` for `names`: the `order` member of an event.
    func json(of names: [String]) -> JSONValue {
        .object(Dictionary(names.map { ($0, .array(tasks(in: $0).map(JSONValue.string))) },
                           uniquingKeysWith: { first, _ in first }))
    }
}
