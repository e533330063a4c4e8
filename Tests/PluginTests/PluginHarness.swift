import HuddlePluginKit
import HuddleStore
import HuddleTestSupport
import Testing

/// One plugin over a real store (SQLite in a temporary directory, or a new
/// PostgreSQL database: `TestStorage`), driven the
/// way the server drives it: each request runs in its own transaction, which
/// is rolled back when the plugin throws.
///
/// Ids are `id-1`, `id-2`, … and each request gets the next timestamp, so
/// tests can predict both.
final class PluginHarness<Plugin: WorkspacePlugin> {
    let plugin: Plugin
    let workspace = "acme"
    /// The timestamp the last request was given.
    private(set) var lastTimestamp = ""
    private var requestCount = 0
    private let ids = IDSequence()
    private let directory: TemporaryDirectory
    private let store: Store

    init(options: [String: JSONValue] = [:]) throws {
        directory = try TemporaryDirectory(prefix: "huddle-plugin")
        store = try Store(location: TestStorage.fresh(file: "huddle.sqlite", in: directory), historyLimit: 1000,
                          deliver: { $0() })
        plugin = try Plugin(options: PluginOptions(pluginName: Plugin.name, table: options))
    }

    deinit { store.close() }

    /// Runs one request as `user`; throws what the plugin throws.
    func outcome(_ type: String, _ data: JSONValue = [:], as user: PluginUser = .alice) throws -> PluginOutcome {
        requestCount += 1
        lastTimestamp = Self.timestamp(requestCount)
        let request = PluginRequest(type: type, data: data.objectValue ?? [:], user: user,
                                    session: "s_test", workspace: workspace)
        let context = { (records: RecordStore) in
            PluginContext(records: records, timestamp: self.lastTimestamp, newID: self.ids.next)
        }
        return try store.withRecordStore(plugin: Plugin.name, workspace: workspace) { records in
            try plugin.handle(request, context: context(records))
        }
    }

    /// Runs a write that must succeed with an event of `eventType`; returns the event's data.
    @discardableResult
    func write(_ type: String, _ data: JSONValue = [:], as user: PluginUser = .alice, expecting eventType: String,
               sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
        let result = try outcome(type, data, as: user)
        guard case .write(let event) = result else {
            Issue.record("expected a write, got \(result)", sourceLocation: sourceLocation)
            throw HarnessError.unexpectedOutcome
        }
        #expect(event.type == eventType, sourceLocation: sourceLocation)
        return event.data
    }

    /// Runs a read that must succeed; returns its result.
    func read(_ type: String, _ data: JSONValue = [:], as user: PluginUser = .alice,
              sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
        let result = try outcome(type, data, as: user)
        guard case .read(let value) = result else {
            Issue.record("expected a read, got \(result)", sourceLocation: sourceLocation)
            throw HarnessError.unexpectedOutcome
        }
        return value
    }

    /// Runs a request that must fail with a `PluginError`; returns it.
    func error(_ type: String, _ data: JSONValue = [:], as user: PluginUser = .alice,
               sourceLocation: SourceLocation = #_sourceLocation) throws -> PluginError {
        let result: PluginOutcome
        do {
            result = try outcome(type, data, as: user)
        } catch let error as PluginError {
            return error
        }
        Issue.record("expected an error, got \(result)", sourceLocation: sourceLocation)
        throw HarnessError.unexpectedOutcome
    }

    /// Runs a request that must fail with `validation_failed`; returns its problems.
    func problems(_ type: String, _ data: JSONValue = [:], as user: PluginUser = .alice,
                  sourceLocation: SourceLocation = #_sourceLocation) throws -> [FieldProblem] {
        let failure = try error(type, data, as: user, sourceLocation: sourceLocation)
        #expect(failure.code == .validationFailed, "\(failure.message)", sourceLocation: sourceLocation)
        return failure.details
    }

    /// ISO-8601 UTC with milliseconds, one second apart per request.
    private static func timestamp(_ count: Int) -> String {
        func pad(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
        return "2026-11-22T\(pad(10 + count / 3600)):\(pad(count / 60 % 60)):\(pad(count % 60)).000Z"
    }
}

/// Makes `id-1`, `id-2`, … on the store thread while the test thread waits.
private final class IDSequence {
    private var last = 0

    func next() -> String {
        last += 1
        return "id-\(last)"
    }
}

enum HarnessError: Error {
    case unexpectedOutcome
}

/// The `PluginConfigError` a plugin's init throws for `table`, or `nil` if it accepts it.
func configError<Plugin: WorkspacePlugin>(_ plugin: Plugin.Type, _ table: [String: JSONValue]) -> PluginConfigError? {
    do {
        _ = try Plugin(options: PluginOptions(pluginName: Plugin.name, table: table))
        return nil
    } catch {
        return error
    }
}

extension PluginUser {
    static let alice = PluginUser(id: "alice", name: "Alice", role: .editor)
    static let bob = PluginUser(id: "bob", name: "Bob", role: .editor)
    static let ada = PluginUser(id: "ada", name: "Ada", role: .admin)
    static let victor = PluginUser(id: "victor", name: "Victor", role: .viewer)
}

extension String {
    /// `count` copies of `self`.
    func times(_ count: Int) -> String { String(repeating: self, count: count) }
}
