/// A plugin used its `RecordStore` wrongly; the request fails as `internal`.
public enum RecordStoreError: Error, Equatable, CustomStringConvertible {
    case duplicateRecord(kind: String, id: String)
    case missingRecord(kind: String, id: String)

    public var description: String {
        switch self {
        case .duplicateRecord(let kind, let id): return "a \(kind) with id \(id) already exists"
        case .missingRecord(let kind, let id): return "no \(kind) with id \(id) to update"
        }
    }
}
