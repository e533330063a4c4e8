/// A guard in front of TOMLKit. The toml++ parser inside it asserts (and so
/// aborts the process, in any build without NDEBUG) instead of reporting an
/// error when a table header's first key starts with a character that cannot
/// start a key: `[?server]`, `[.a]`, `[` at the end of a line. Found by
/// `scripts/fuzz config`. Such a header is reported here as a problem with
/// its position, before toml++ sees the text.
///
/// It looks at every line that starts with `[`, so a line of a multi-line
/// array or string that starts with `[` and then an unusual character (an
/// inline table, `[{...}]`) is refused too; Huddle's keys never need one.
enum TOMLHeaderCheck {
    /// The first unsafe header: 1-based line and column of the offending character.
    static func firstUnsafeHeader(in text: String) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() {
            let characters = Array(line.utf8)
            var index = 0
            while index < characters.count, isBlank(characters[index]) { index += 1 }
            guard index < characters.count, characters[index] == UInt8(ascii: "[") else { continue }
            index += 1
            if index < characters.count, characters[index] == UInt8(ascii: "[") { index += 1 }
            while index < characters.count, isBlank(characters[index]) { index += 1 }
            guard index < characters.count else {
                // The end of the text is reported by toml++ itself; the end of a line is not.
                if number == lines.count - 1 { continue }
                return (number + 1, index + 1)
            }
            if !canStartHeaderKey(characters[index]) { return (number + 1, index + 1) }
        }
        return nil
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    /// A bare key character, a quote, or `]` (an empty header, which toml++ reports itself).
    private static func canStartHeaderKey(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"),
             UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "]"):
            return true
        default:
            return false
        }
    }
}
