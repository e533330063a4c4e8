/// A record of the plugin's, named by kind and id: what a request will read
/// (``WorkspacePlugin/reads(for:)``).
public struct RecordKey: Hashable, Sendable {
    public let kind: String
    public let id: String

    public init(kind: String, id: String) {
        self.kind = kind
        self.id = id
    }
}

extension PluginRequest {
    /// The `kind` record that `data.id` names, as ``WorkspacePlugin/reads(for:)``
    /// answers for a request that reads one record by id; none without an id.
    public func recordKeys(namedByID kind: String) -> [RecordKey] {
        data["id"]?.stringValue.map { [RecordKey(kind: kind, id: $0)] } ?? []
    }
}
