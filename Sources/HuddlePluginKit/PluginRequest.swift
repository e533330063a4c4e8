/// The role a user acts with; viewers may only read.
public enum Role: String, Sendable, CaseIterable {
    case viewer, editor, admin

    /// Whether the role may change records at all.
    public var canWrite: Bool { self != .viewer }
}

/// Who sent a request.
public struct PluginUser: Equatable, Sendable {
    public let id: String
    public let name: String
    public let role: Role

    public init(id: String, name: String, role: Role) {
        self.id = id
        self.name = name
        self.role = role
    }
}

/// One client request addressed to a plugin.
public struct PluginRequest: Sendable {
    /// The full message type, e.g. `contacts.update`.
    public let type: String
    /// The `data` object of the envelope (empty when the client sent none).
    public let data: [String: JSONValue]
    public let user: PluginUser
    /// The sending WebSocket session, or `nil` for requests made over HTTP.
    public let session: String?
    public let workspace: String

    public init(type: String, data: [String: JSONValue], user: PluginUser, session: String?, workspace: String) {
        self.type = type
        self.data = data
        self.user = user
        self.session = session
        self.workspace = workspace
    }

    /// The part of `type` after the plugin name: `update` for `contacts.update`.
    public var action: Substring {
        guard let dot = type.firstIndex(of: ".") else { return Substring(type) }
        return type[type.index(after: dot)...]
    }
}

/// What a plugin may use while it handles a request.
public struct PluginContext {
    /// The plugin's records in the request's workspace.
    public let records: RecordStore
    /// The request's time as ISO-8601 UTC with milliseconds; use it for
    /// `created_at` / `updated_at` so the record and its event agree.
    public let timestamp: String
    /// Makes a new record id, unique in practice (random, URL-safe).
    public let newID: () -> String

    public init(records: RecordStore, timestamp: String, newID: @escaping () -> String) {
        self.records = records
        self.timestamp = timestamp
        self.newID = newID
    }
}
