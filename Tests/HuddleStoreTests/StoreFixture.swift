import Foundation
import HuddlePluginKit
import HuddleTestSupport
@testable import HuddleStore

/// A store on fresh storage (a SQLite file, or a new PostgreSQL database:
/// `TestStorage`), with replies delivered on a serial queue the way the
/// event loop would run them, and blocking helpers for tests.
final class StoreFixture {
    let directory: TemporaryDirectory
    let location: StorageLocation
    /// The SQLite file (meaningful only when the tests run on SQLite).
    let path: String
    let plugin = CounterPlugin()
    private(set) var store: Store
    let deliveryQueue = DispatchQueue(label: "store-tests.delivery")
    private let logRecorder = LogRecorder()

    /// `prepareFile` may write the database file before the store opens it.
    init(historyLimit: Int = 10_000, busyTimeoutMilliseconds: Int = Store.defaultBusyTimeoutMilliseconds,
         prepareFile: ((String) throws -> Void)? = nil) throws {
        directory = try TemporaryDirectory(prefix: "huddle-store")
        path = directory.file("data/huddle.sqlite")
        try prepareFile?(path)
        location = TestStorage.isPostgres ? try TestStorage.fresh(file: "data/huddle.sqlite", in: directory) : .sqlite(path: path)
        store = try Self.open(location, historyLimit: historyLimit, busyTimeoutMilliseconds: busyTimeoutMilliseconds,
                              queue: deliveryQueue, log: logRecorder.record)
    }

    /// Closes the store and opens the same file again.
    @discardableResult
    func reopen(historyLimit: Int = 10_000, busyTimeoutMilliseconds: Int = Store.defaultBusyTimeoutMilliseconds) throws -> Store {
        store.close()
        store = try Self.open(location, historyLimit: historyLimit, busyTimeoutMilliseconds: busyTimeoutMilliseconds,
                              queue: deliveryQueue, log: logRecorder.record)
        return store
    }

    /// Lines the store logged so far.
    var log: [String] { logRecorder.lines }

    private static func open(_ location: StorageLocation, historyLimit: Int, busyTimeoutMilliseconds: Int,
                             queue: DispatchQueue, log: @escaping (String) -> Void) throws -> Store {
        try Store(location: location, historyLimit: historyLimit, busyTimeoutMilliseconds: busyTimeoutMilliseconds,
                  deliver: { reply in
                      // Replies are built on the store thread and only run here, one at a time.
                      nonisolated(unsafe) let reply = reply
                      queue.async { reply() }
                  }, log: log)
    }

    deinit { store.close() }

    // MARK: Requests

    static func request(_ action: String, workspace: String = "w1", data: [String: JSONValue] = [:],
                        session: String? = "s_test") -> PluginRequest {
        PluginRequest(type: "counter.\(action)", data: data, user: PluginUser(id: "alice", name: "Alice", role: .editor),
                      session: session, workspace: workspace)
    }

    /// Submits and waits for the reply, checking it arrives on the delivery queue.
    func send(_ request: PluginRequest) -> PluginReply {
        var reply: PluginReply?
        let done = DispatchSemaphore(value: 0)
        store.submit(request, plugin: plugin, pluginName: CounterPlugin.name) { result in
            dispatchPrecondition(condition: .onQueue(self.deliveryQueue))
            reply = result
            done.signal()
        }
        done.wait()
        return reply!
    }

    func send(_ action: String, workspace: String = "w1", data: [String: JSONValue] = [:]) -> PluginReply {
        send(Self.request(action, workspace: workspace, data: data))
    }

    func events(_ workspace: String = "w1", since: Int, epoch: String? = nil, limit: Int? = nil) -> Result<EventPage, HistoryError> {
        var page: Result<EventPage, HistoryError>?
        let done = DispatchSemaphore(value: 0)
        store.events(workspace: workspace, since: since, epoch: epoch, limit: limit) { result in
            page = result
            done.signal()
        }
        done.wait()
        return page!
    }
}

extension PluginReply {
    var event: CommittedEvent? {
        if case .committed(let event) = self { return event }
        return nil
    }

    var error: PluginError? {
        if case .failed(let error) = self { return error }
        return nil
    }
}

extension Result where Failure == HistoryError {
    var page: Success? { try? get() }

    var historyError: HistoryError? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// Collects log lines from the store thread.
final class LogRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [String] = []

    func record(_ line: String) { lock.withLock { recorded.append(line) } }

    var lines: [String] { lock.withLock { recorded } }
}
