import HuddlePluginKit
import HuddleStore
import Testing

/// One plugin over a real record store (SQLite in a temporary directory, or
/// a new PostgreSQL database: ``TestStore/open(in:)``), driven the way the
/// server drives it: each request runs in its own transaction on the store
/// thread, rolled back when the plugin throws.
///
/// Ids are `id-1`, `id-2`, … and each request gets the next tick of
/// ``clock``, so tests can predict both. The checks it makes besides the
/// test's own: a write's event is `<plugin>.<something>` of the expected
/// type, and every `validation_failed` problem is a standard code or one the
/// plugin declares in `problemCodes`.
///
/// ```swift
/// let harness = try PluginHarness<DealsPlugin>(options: ["stages": ["Open", "Won"]])
/// let created = try harness.write("deals.create", ["title": "Renewal"], expecting: "deals.created")
/// #expect(created["deal"]?["id"] == "id-1")
/// ```
public final class PluginHarness<Plugin: WorkspacePlugin> {
    /// The plugin under test, built from the options given to `init`.
    public let plugin: Plugin
    /// The workspace every request is made in.
    public let workspace: String
    /// The time of the requests so far.
    public private(set) var clock = TestClock()
    private let ids = IDSequence()
    // The directory outlives the store, which closes in `deinit`.
    private let directory: TemporaryDirectory
    private let store: Store

    /// Builds `Plugin` from `options` (its `[plugins.<name>]` table) over a
    /// fresh store opened by `openStore`.
    public init(options: [String: JSONValue] = [:], workspace: String = "acme",
                openStore: StoreOpener = TestStore.open) throws {
        directory = try TemporaryDirectory(prefix: "huddle-plugin")
        store = try openStore(directory)
        self.workspace = workspace
        plugin = try Plugin(options: PluginOptions(pluginName: Plugin.name, table: options))
    }

    deinit { store.close() }

    /// The timestamp the last request was given.
    public var lastTimestamp: String { clock.now }

    /// The request a client would send: `type` with `data`, from `user`.
    public func request(_ type: String, _ data: JSONValue = [:], as user: PluginUser = .alice) -> PluginRequest {
        PluginRequest(type: type, data: data.objectValue ?? [:], user: user, session: "s_test", workspace: workspace)
    }

    /// Runs one request as `user`; throws what the plugin throws.
    public func outcome(_ type: String, _ data: JSONValue = [:], as user: PluginUser = .alice) throws -> PluginOutcome {
        let request = request(type, data, as: user)
        let timestamp = clock.tick()
        let ids = self.ids
        return try store.withRecordStore(plugin: Plugin.name, workspace: workspace) { records in
            try plugin.handle(request, context: PluginContext(records: records, timestamp: timestamp, newID: ids.next))
        }
    }

    /// Runs a write that must succeed with an event of `eventType`; returns the event's data.
    @discardableResult
    public func write(_ type: String, _ data: JSONValue = [:], as user: PluginUser = .alice, expecting eventType: String,
                      sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
        let result = try outcome(type, data, as: user)
        guard case .write(let event) = result else {
            Issue.record("expected a write, got \(result)", sourceLocation: sourceLocation)
            throw HarnessError.unexpectedOutcome
        }
        #expect(event.type == eventType, sourceLocation: sourceLocation)
        #expect(event.type.hasPrefix("\(Plugin.name)."), "events are named <plugin>.<action>",
                sourceLocation: sourceLocation)
        return event.data
    }

    /// Runs a read that must succeed; returns its result.
    public func read(_ type: String, _ data: JSONValue = [:], as user: PluginUser = .alice,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
        let result = try outcome(type, data, as: user)
        guard case .read(let value) = result else {
            Issue.record("expected a read, got \(result)", sourceLocation: sourceLocation)
            throw HarnessError.unexpectedOutcome
        }
        return value
    }

    /// Runs a request that must fail with a `PluginError`; returns it.
    public func error(_ type: String, _ data: JSONValue = [:], as user: PluginUser = .alice,
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

    /// Runs a request that must fail with `validation_failed`; returns its
    /// `details`, each checked to be a standard or declared problem code.
    public func problems(_ type: String, _ data: JSONValue = [:], as user: PluginUser = .alice,
                         sourceLocation: SourceLocation = #_sourceLocation) throws -> [FieldProblem] {
        let failure = try error(type, data, as: user, sourceLocation: sourceLocation)
        #expect(failure.code == .validationFailed, "\(failure.message)", sourceLocation: sourceLocation)
        let known = FieldProblem.Problem.standard + Plugin.problemCodes
        for detail in failure.details where !known.contains(detail.problem) {
            Issue.record("\(detail.problem) is neither a standard problem nor in \(Plugin.self).problemCodes",
                         sourceLocation: sourceLocation)
        }
        return failure.details
    }

    /// Runs a request that must fail with `conflict`; returns the error's
    /// `current`, the record as the client should now see it.
    public func conflict(_ type: String, _ data: JSONValue = [:], as user: PluginUser = .alice,
                         sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue? {
        let failure = try error(type, data, as: user, sourceLocation: sourceLocation)
        #expect(failure.code == .conflict, "\(failure.message)", sourceLocation: sourceLocation)
        return failure.current
    }
}
