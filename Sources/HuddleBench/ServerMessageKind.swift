/// What a server message is, found from its `"type":"` field without
/// parsing the JSON: the generator only needs to count and time messages.
enum ServerMessageKind: Equatable {
    case welcome
    case cursor
    case ack
    case error
    case presenceJoin
    case presenceLeave
    case presenceUpdate
    case other

    var isPresence: Bool { self == .presenceJoin || self == .presenceLeave || self == .presenceUpdate }

    private static let typePrefix = Array(#""type":""#.utf8)
    private static let timestampKey = Array(#""t":"#.utf8)
    private static let known: [(name: [UInt8], kind: ServerMessageKind)] = [
        (Array(#"cursor""#.utf8), .cursor),
        (Array(#"ack""#.utf8), .ack),
        (Array(#"welcome""#.utf8), .welcome),
        (Array(#"error""#.utf8), .error),
        (Array(#"presence.join""#.utf8), .presenceJoin),
        (Array(#"presence.leave""#.utf8), .presenceLeave),
        (Array(#"presence.update""#.utf8), .presenceUpdate),
    ]

    /// The kind of the JSON object `payload`.
    static func of(_ payload: UnsafeRawBufferPointer) -> ServerMessageKind {
        // The server writes `type` first, so the search normally ends at once.
        guard let start = find(typePrefix, in: payload, from: 0) else { return .other }
        let nameStart = start + typePrefix.count
        for (name, kind) in known where hasPrefix(name, in: payload, at: nameStart) {
            return kind
        }
        return .other
    }

    /// The unsigned integer after the first `"t":` in `payload` (the send
    /// timestamp the generator embeds in cursor data).
    static func embeddedTimestamp(in payload: UnsafeRawBufferPointer) -> UInt64? {
        guard let start = find(timestampKey, in: payload, from: 0) else { return nil }
        var index = start + timestampKey.count
        var value: UInt64 = 0
        var digits = 0
        while index < payload.count, case let byte = payload[index], byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            value = value &* 10 &+ UInt64(byte - UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        return digits == 0 ? nil : value
    }

    static func hasPrefix(_ prefix: [UInt8], in bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        guard offset + prefix.count <= bytes.count else { return false }
        for index in prefix.indices where bytes[offset + index] != prefix[index] { return false }
        return true
    }

    static func find(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer, from offset: Int) -> Int? {
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        var index = offset
        while index <= bytes.count - needle.count {
            if bytes[index] == first && hasPrefix(needle, in: bytes, at: index) { return index }
            index += 1
        }
        return nil
    }
}
