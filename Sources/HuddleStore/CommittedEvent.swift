import HuddlePluginKit

/// Who made a durable event.
public struct Attribution: Sendable, Equatable {
    public let user: String
    public let name: String
    /// The WebSocket session, or `nil` for writes made over HTTP.
    public let session: String?

    public init(user: String, name: String, session: String?) {
        self.user = user
        self.name = name
        self.session = session
    }
}

/// A durable event as stored and broadcast.
public struct CommittedEvent: Sendable {
    public let workspace: String
    public let seq: Int
    public let type: String
    /// ISO-8601 UTC with milliseconds.
    public let at: String
    public let by: Attribution
    public let data: JSONValue
    /// `data` as JSON text, as stored; the ack's `result` reuses it.
    public let encodedData: [UInt8]
    /// The wire message, encoded once on the store thread:
    /// `{"type":..,"seq":..,"at":..,"by":{"user":..,"name":..,"session":..},"data":{..}}`.
    public let message: [UInt8]

    public init(workspace: String, seq: Int, type: String, at: String, by: Attribution, data: JSONValue) {
        self.init(workspace: workspace, seq: seq, type: type, at: at, by: by, data: data, encodedData: data.encoded())
    }

    /// Builds the message around `data` already encoded (the bytes that are also stored).
    init(workspace: String, seq: Int, type: String, at: String, by: Attribution, data: JSONValue, encodedData: [UInt8]) {
        self.workspace = workspace
        self.seq = seq
        self.type = type
        self.at = at
        self.by = by
        self.data = data
        self.encodedData = encodedData
        self.message = Self.encodeMessage(seq: seq, type: type, at: at, by: by, encodedData: encodedData)
    }

    private static func encodeMessage(seq: Int, type: String, at: String, by: Attribution, encodedData: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(encodedData.count + 160)
        out.append(contentsOf: #"{"type":"#.utf8)
        JSONValue.writeString(type, to: &out)
        out.append(contentsOf: #","seq":"#.utf8)
        out.append(contentsOf: String(seq).utf8)
        out.append(contentsOf: #","at":"#.utf8)
        JSONValue.writeString(at, to: &out)
        out.append(contentsOf: #","by":{"user":"#.utf8)
        JSONValue.writeString(by.user, to: &out)
        out.append(contentsOf: #","name":"#.utf8)
        JSONValue.writeString(by.name, to: &out)
        out.append(contentsOf: #","session":"#.utf8)
        if let session = by.session { JSONValue.writeString(session, to: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: #"},"data":"#.utf8)
        out.append(contentsOf: encodedData)
        out.append(UInt8(ascii: "}"))
        return out
    }
}

/// What became of a plugin request.
public enum PluginReply: Sendable {
    /// A read; the ack's `result`.
    case read(JSONValue)
    /// A committed write; its `data` is the ack's `result`.
    case committed(CommittedEvent)
    case failed(PluginError)
}

/// A slice of a workspace's history.
public struct EventPage: Sendable {
    public let events: [CommittedEvent]
    /// The workspace's latest seq when the page was read (0 when it has no events).
    public let latestSeq: Int
    public let epoch: String
}

/// Why history cannot be replayed.
public enum HistoryError: Error, Sendable, Equatable {
    /// The events after `since` are no longer (or never were) in this store:
    /// the client reloads its snapshots.
    case gone(latestSeq: Int, epoch: String)
    /// Storage is failing.
    case unavailable(String)
}
