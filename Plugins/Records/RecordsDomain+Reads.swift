import HuddlePluginKit

extension RecordsDomain {
    static let listLimits = 1...500
    static let defaultListLimit = 100

    func get(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        let reader = RequestFields(request.data, allowed: ["id"])
        let id = try reader.validated(reader.id())
        return .read(result: ["record": try context.records.existing(kind: Self.kind, id: id).value])
    }

    /// Records in creation order (`created_at`, then `id`), `limit` at a
    /// time; `next` resumes strictly after the page's last record, so
    /// records added or deleted between pages neither repeat nor shift the
    /// listing. With `filter`, the first filtered field's index entries
    /// select the records and the others narrow them.
    func list(_ request: PluginRequest, _ context: PluginContext) throws -> PluginOutcome {
        let reader = RequestFields(request.data, allowed: ["filter", "limit", "cursor"])
        let limit = reader.integer("limit", in: Self.listLimits) ?? Self.defaultListLimit
        let filters = readFilters(request.data["filter"], reader)
        var after: ListCursor?
        if let raw = request.data["cursor"], !raw.isNull {
            after = raw.stringValue.flatMap(ListCursor.init(token:))
            if after == nil { reader.record("cursor", .invalidFormat) }
        }
        try reader.throwIfInvalid()

        var matching: [StoredRecord]
        if let first = filters.first {
            matching = try context.records.find(kind: Self.kind, index: first.field, value: first.key)
            for filter in filters.dropFirst() {
                let field = fieldsByName[filter.field]!
                matching.removeAll { record in record.value[filter.field].flatMap(field.indexKey) != filter.key }
            }
        } else {
            matching = try context.records.all(kind: Self.kind)
        }
        var positioned = matching.map { (cursor: ListCursor(sortKey: $0.value["created_at"]?.stringValue ?? "", id: $0.id), record: $0) }
        positioned.sort { $0.cursor < $1.cursor }
        if let after { positioned.removeAll { $0.cursor <= after } }
        let page = positioned.prefix(limit)
        let next: JSONValue = positioned.count > limit ? .string(page.last!.cursor.token) : .null
        return .read(result: ["records": .array(page.map(\.record.value)), "next": next])
    }

    /// `filter`: an object of indexed (or unique) fields and the value each
    /// must hold. Another field is `not_allowed`; a bad value gets the
    /// field's own problem.
    private func readFilters(_ raw: JSONValue?, _ reader: RequestFields) -> [(field: String, key: String)] {
        guard let raw, !raw.isNull else { return [] }
        guard let members = raw.objectValue else {
            reader.record("filter", .wrongType)
            return []
        }
        var filters: [(field: String, key: String)] = []
        for (name, value) in members.sorted(by: { $0.key < $1.key }) {
            guard filterable.contains(name), let field = fieldsByName[name] else {
                reader.record(name, .notAllowed)
                continue
            }
            guard !value.isNull else {
                reader.record(name, .required)
                continue
            }
            switch field.check(value) {
            case .valid(let accepted): if let key = field.indexKey(accepted) { filters.append((name, key)) }
            case .invalid(let problem): reader.record(name, problem)
            }
        }
        return filters
    }
}
