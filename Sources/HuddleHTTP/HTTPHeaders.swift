/// Header fields in the order they were received or added, looked up by
/// case-insensitive name.
public struct HTTPHeaders: Sequence, Equatable, Sendable, CustomStringConvertible {
    private struct Field: Equatable, Sendable {
        var name: String
        var value: String
    }

    private var fields: [Field] = []

    public init() {}

    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    /// The number of field lines (a repeated name counts once per line).
    public var count: Int { fields.count }
    public var isEmpty: Bool { fields.isEmpty }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? {
        fields.first { HTTPSyntax.equalsIgnoringCase($0.name, name) }?.value
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { HTTPSyntax.equalsIgnoringCase($0.name, name) }.map(\.value)
    }

    public func contains(_ name: String) -> Bool {
        fields.contains { HTTPSyntax.equalsIgnoringCase($0.name, name) }
    }

    /// Appends a field line, keeping any existing ones of the same name.
    public mutating func add(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Sets `name` to exactly one value: the first existing line keeps its
    /// place, later ones are dropped; a new name is appended.
    public mutating func replace(_ name: String, _ value: String) {
        guard let first = fields.firstIndex(where: { HTTPSyntax.equalsIgnoringCase($0.name, name) }) else {
            add(name, value)
            return
        }
        fields[first].value = value
        let later = fields.index(after: first)
        fields[later...].removeAll { HTTPSyntax.equalsIgnoringCase($0.name, name) }
    }

    public mutating func remove(_ name: String) {
        fields.removeAll { HTTPSyntax.equalsIgnoringCase($0.name, name) }
    }

    /// Comma-separated tokens across all values of `name`, trimmed, empty
    /// elements dropped, case kept (for Connection, Upgrade, Sec-WebSocket-Protocol).
    public func tokens(_ name: String) -> [String] {
        values(name).flatMap { value in
            value.utf8.split(separator: HTTPSyntax.comma, omittingEmptySubsequences: false).compactMap { element in
                let trimmed = HTTPSyntax.trimmingWhitespace(ArraySlice(element))
                return trimmed.isEmpty ? nil : String(decoding: trimmed, as: UTF8.self)
            }
        }
    }

    /// Whether `tokens(name)` holds `token`, compared case-insensitively
    /// (`Connection: Keep-Alive, Upgrade` has the token `upgrade`).
    public func hasToken(_ name: String, _ token: String) -> Bool {
        tokens(name).contains { HTTPSyntax.equalsIgnoringCase($0, token) }
    }

    public func makeIterator() -> some IteratorProtocol<(name: String, value: String)> {
        fields.lazy.map { (name: $0.name, value: $0.value) }.makeIterator()
    }

    public var description: String {
        fields.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    }
}
