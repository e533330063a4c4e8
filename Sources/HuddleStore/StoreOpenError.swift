/// The database at `path` could not be opened or prepared; startup stops.
public struct StoreOpenError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "cannot open storage at \(path): \(reason)" }
}
