import HuddleJSON

/// Writes one server message straight into bytes, `type` first and members in
/// the order given, without building a `JSONValue` tree for the hot messages.
struct MessageWriter {
    private var bytes: [UInt8]

    init(type: String, capacity: Int = 128) {
        bytes = []
        bytes.reserveCapacity(capacity)
        bytes.append(contentsOf: #"{"type":"#.utf8)
        JSONValue.writeString(type, to: &bytes)
    }

    /// Continues a message from a prefix made by another writer.
    init(prefix: [UInt8], extra capacity: Int) {
        bytes = []
        bytes.reserveCapacity(prefix.count + capacity)
        bytes.append(contentsOf: prefix)
    }

    /// Writes `null` for `nil`.
    mutating func string(_ key: String, _ value: String?) {
        writeKey(key)
        if let value { JSONValue.writeString(value, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
    }

    mutating func int(_ key: String, _ value: Int) {
        writeKey(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ key: String, _ value: Bool) {
        writeKey(key)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func value(_ key: String, _ value: JSONValue) {
        writeKey(key)
        value.write(to: &bytes)
    }

    /// Writes the member only when there is a value (an echoed request `id`).
    mutating func valueIfPresent(_ key: String, _ value: JSONValue?) {
        if let value { self.value(key, value) }
    }

    /// Splices JSON text that is already valid (a client's cursor `data`).
    mutating func raw<Bytes: Collection<UInt8>>(_ key: String, _ json: Bytes) {
        writeKey(key)
        bytes.append(contentsOf: json)
    }

    consuming func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// The unfinished text so far: a prefix to reuse for messages that share it.
    var prefix: [UInt8] { bytes }

    private mutating func writeKey(_ key: String) {
        bytes.append(UInt8(ascii: ","))
        JSONValue.writeString(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }
}
