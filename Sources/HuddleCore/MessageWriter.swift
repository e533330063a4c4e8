import HuddleJSON

/// Writes one server message straight into bytes, `type` first and members in
/// the order given, without building a `JSONValue` tree: messages with many
/// users in them (welcome, presence lists) stay cheap to encode.
public struct MessageWriter {
    private var bytes: [UInt8]
    private var hasMembers = false

    /// A plain object, for HTTP answers.
    public init(capacity: Int = 128) {
        bytes = []
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    public init(type: String, capacity: Int = 128) {
        self.init(capacity: capacity)
        string("type", type)
    }

    /// Continues a message from a prefix made by another writer.
    public init(prefix: [UInt8], extra capacity: Int) {
        bytes = []
        bytes.reserveCapacity(prefix.count + capacity)
        bytes.append(contentsOf: prefix)
        hasMembers = true
    }

    /// Writes `null` for `nil`.
    public mutating func string(_ key: String, _ value: String?) {
        writeKey(key)
        if let value { JSONValue.writeString(value, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
    }

    public mutating func int(_ key: String, _ value: Int) {
        writeKey(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    /// An ISO-8601 timestamp (`ISOTimestamp`), written without a String.
    public mutating func timestamp(_ key: String, unixMs: Int64) {
        writeKey(key)
        bytes.append(UInt8(ascii: "\""))
        ISOTimestamp.append(unixMs: unixMs, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func bool(_ key: String, _ value: Bool) {
        writeKey(key)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func value(_ key: String, _ value: JSONValue) {
        writeKey(key)
        value.write(to: &bytes)
    }

    /// Writes the member only when there is a value (an echoed request `id`).
    public mutating func valueIfPresent(_ key: String, _ value: JSONValue?) {
        if let value { self.value(key, value) }
    }

    /// Splices JSON text that is already valid (a client's cursor `data`).
    public mutating func raw<Bytes: Collection<UInt8>>(_ key: String, _ json: Bytes) {
        writeKey(key)
        bytes.append(contentsOf: json)
    }

    /// `"key":[{…},…]`: one object per element, its members written by
    /// `writeMembers` into this same writer.
    public mutating func objects<Elements: Sequence>(
        _ key: String, _ elements: Elements, _ writeMembers: (inout MessageWriter, Elements.Element) -> Void
    ) {
        writeKey(key)
        bytes.append(UInt8(ascii: "["))
        var isFirst = true
        for element in elements {
            if !isFirst { bytes.append(UInt8(ascii: ",")) }
            isFirst = false
            bytes.append(UInt8(ascii: "{"))
            hasMembers = false
            writeMembers(&self, element)
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: "]"))
        hasMembers = true
    }

    public consuming func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// The unfinished text so far: a prefix to reuse for messages that share it.
    public var prefix: [UInt8] { bytes }

    private mutating func writeKey(_ key: String) {
        if hasMembers { bytes.append(UInt8(ascii: ",")) }
        hasMembers = true
        JSONValue.writeString(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }
}
