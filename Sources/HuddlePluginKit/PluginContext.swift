/// What a plugin may use while it handles a request.
public struct PluginContext {
    /// The plugin's records in the request's workspace.
    public let records: RecordStore
    /// The request's time as ISO-8601 UTC with milliseconds; use it for
    /// `created_at` / `updated_at` so the record and its event agree.
    public let timestamp: String
    /// Makes a new record id, unique in practice (random, URL-safe).
    public let newID: () -> String

    /// A context as the server (or a test kit) makes one for each request.
    public init(records: RecordStore, timestamp: String, newID: @escaping () -> String) {
        self.records = records
        self.timestamp = timestamp
        self.newID = newID
    }
}
