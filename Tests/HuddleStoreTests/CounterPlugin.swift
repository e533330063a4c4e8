import HuddlePluginKit

/// A tiny plugin for the store's tests: a per-workspace counter kept as one record.
final class CounterPlugin: WorkspacePlugin {
    static let name = "counter"
    static let messageTypes = ["counter.add", "counter.get", "counter.fail", "counter.crash", "counter.duplicate",
                                "counter.duplicateThenRead"]

    struct Crash: Error {}

    init(options: PluginOptions) throws(PluginConfigError) {
        try options.finish()
    }

    convenience init() {
        try! self.init(options: PluginOptions(pluginName: Self.name, table: [:]))
    }

    func handle(_ request: PluginRequest, context: PluginContext) throws -> PluginOutcome {
        let records = context.records
        switch request.action {
        case "add":
            let amount = request.data["amount"]?.intValue ?? 1
            let total = try add(amount, to: records)
            return .write(PluginEvent(type: "counter.added", data: ["amount": .int(amount), "total": .int(total)]))
        case "get":
            let current = try records.get(kind: "counter", id: "total")
            return .read(result: ["total": .int(current?.value["total"]?.intValue ?? 0)])
        case "fail":
            _ = try add(1, to: records)
            try records.insert(StoredRecord.first(id: context.newID(), value: [:]), kind: "junk")
            throw PluginError.validation("amount", .outOfRange, "amount is out of range")
        case "crash":
            _ = try add(1, to: records)
            throw Crash()
        case "duplicate", "duplicateThenRead":
            // A plugin bug: the same id twice. The second insert is refused,
            // on PostgreSQL only when the pipeline next syncs.
            let total = try add(1, to: records)
            let junk = StoredRecord.first(id: "same", value: [:])
            try records.insert(junk, kind: "junk")
            try records.insert(junk, kind: "junk")
            if request.action == "duplicateThenRead" { _ = try records.get(kind: "counter", id: "total") }
            return .write(PluginEvent(type: "counter.added", data: ["amount": 1, "total": .int(total)]))
        default:
            throw PluginError(.validationFailed, "unknown action \(request.action)")
        }
    }

    /// `add` and `get` name the counter, so PostgreSQL fetches it with the
    /// batch's other reads; the other actions name nothing and read it
    /// themselves, so both paths run.
    func reads(for request: PluginRequest) -> [RecordKey] {
        ["add", "get"].contains(request.action) ? [RecordKey(kind: "counter", id: "total")] : []
    }

    private func add(_ amount: Int, to records: RecordStore) throws -> Int {
        if let current = try records.get(kind: "counter", id: "total") {
            let total = (current.value["total"]?.intValue ?? 0) + amount
            try records.update(current.revised(to: ["total": .int(total)]), kind: "counter")
            return total
        }
        try records.insert(StoredRecord.first(id: "total", value: ["total": .int(amount)]), kind: "counter")
        return amount
    }
}
