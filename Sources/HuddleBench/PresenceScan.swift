/// Fields of the server's presence messages and `welcome`, found by
/// scanning bytes rather than parsing JSON: a storm brings tens of thousands
/// of welcomes of a hundred users each, and the generator shares the cores
/// with the server it measures. The server writes compact JSON with string
/// ids that need no escapes (PROTOCOL.md §3), which is all this relies on.
enum PresenceScan {
    private static let sessionKey = Array(#""session":""#.utf8)
    private static let userKey = Array(#""user":""#.utf8)
    private static let sessionsKey = Array(#""sessions":"#.utf8)
    private static let resumedTrue = Array(#""resumed":true"#.utf8)
    private static let presenceArray = Array(#""presence":["#.utf8)
    private static let quote = UInt8(ascii: "\"")

    /// The first `"session":"…"` value: a welcome's own session, or the
    /// session a presence message is about.
    static func session(in payload: UnsafeRawBufferPointer) -> String? {
        value(after: sessionKey, in: payload).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The first `"user":"…"` value (a presence message's user), as bytes of `payload`.
    static func user(in payload: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        value(after: userKey, in: payload)
    }

    /// A presence message's `sessions`: how many the user has afterwards.
    static func userSessions(in payload: UnsafeRawBufferPointer) -> Int? {
        guard let start = ServerMessageKind.find(sessionsKey, in: payload, from: 0) else { return nil }
        var index = start + sessionsKey.count
        var value = 0, digits = 0
        while index < payload.count, payload[index] >= UInt8(ascii: "0"), payload[index] <= UInt8(ascii: "9") {
            value = value * 10 + Int(payload[index] - UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        return digits == 0 ? nil : value
    }

    /// Whether a welcome says `"resumed":true`.
    static func isResumed(_ welcome: UnsafeRawBufferPointer) -> Bool {
        ServerMessageKind.find(resumedTrue, in: welcome, from: 0) != nil
    }

    /// Calls `body` with the `user` of each entry of a welcome's `presence`
    /// array, skipping everything nested deeper (sessions, meta) and strings.
    static func forEachWelcomeUser(in welcome: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        guard let start = ServerMessageKind.find(presenceArray, in: welcome, from: 0) else { return }
        var index = start + presenceArray.count
        // 0: inside the array; 1: inside one user's object.
        var depth = 0
        while index < welcome.count {
            switch welcome[index] {
            case quote:
                let keyEnd = stringEnd(in: welcome, from: index + 1)
                if depth == 1, ServerMessageKind.hasPrefix(userKey, in: welcome, at: index) {
                    let valueStart = index + userKey.count
                    let valueEnd = stringEnd(in: welcome, from: valueStart)
                    body(UnsafeRawBufferPointer(rebasing: welcome[valueStart..<valueEnd]))
                    index = valueEnd + 1
                    continue
                }
                index = keyEnd + 1
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return }
                depth -= 1
            default:
                break
            }
            index += 1
        }
    }

    /// The index of the quote that closes the string whose first byte is at `from`.
    private static func stringEnd(in bytes: UnsafeRawBufferPointer, from: Int) -> Int {
        var index = from
        while index < bytes.count && bytes[index] != quote {
            index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
        }
        return min(index, bytes.count)
    }

    private static func value(after key: [UInt8], in payload: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard let start = ServerMessageKind.find(key, in: payload, from: 0) else { return nil }
        let valueStart = start + key.count
        return UnsafeRawBufferPointer(rebasing: payload[valueStart..<stringEnd(in: payload, from: valueStart)])
    }
}
