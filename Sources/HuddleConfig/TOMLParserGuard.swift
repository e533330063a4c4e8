/// A guard in front of TOMLKit. The toml++ parser inside it asserts (and so
/// aborts the process: SwiftPM builds it without NDEBUG, release included)
/// instead of reporting an error on two kinds of malformed text, both found
/// by `scripts/fuzz config`:
///
/// - a table header whose first key starts with a character no key can start
///   with: `[?server]`, `[.a]`, `[` at the end of a line;
/// - a `}` where an array expects a value: `a = [}`, `a = [1,}`.
///
/// A light scan (strings and comments skipped, arrays and inline tables
/// tracked) finds these and reports them as problems before toml++ sees the
/// text. Everything else is left to toml++ and its own error messages.
struct TOMLParserGuard {
    struct Spot {
        let line: Int
        let column: Int
        let message: String
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    /// Open `[` (array) and `{` (inline table) of the value being read.
    private var open: [UInt8] = []
    /// Inside an array, where the next value must begin.
    private var expectsValue = false

    /// The first spot that would make toml++ abort, if any.
    static func firstCrashingSpot(in text: String) -> Spot? {
        var scan = TOMLParserGuard(bytes: Array(text.utf8))
        return scan.run()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        // toml++ skips a UTF-8 byte order mark; so does the scan, or a header
        // right behind it would not start its line.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            index = 3
            lineStart = 3
        }
    }

    private mutating func run() -> Spot? {
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\n"):
                line += 1
                index += 1
                lineStart = index
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
            case UInt8(ascii: "#"):
                skipLine()
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                expectsValue = false
                skipString(quote: byte)
            case UInt8(ascii: "[") where open.isEmpty && startsItsLine:
                if let spot = checkHeader() { return spot }
                skipLine()
            case UInt8(ascii: "["):
                open.append(byte)
                expectsValue = true
                index += 1
            case UInt8(ascii: "{"):
                open.append(byte)
                expectsValue = false
                index += 1
            case UInt8(ascii: ","):
                expectsValue = open.last == UInt8(ascii: "[")
                index += 1
            case UInt8(ascii: "}"):
                if expectsValue && open.last == UInt8(ascii: "[") {
                    return spot("an array needs a value or ']' here, not '}'")
                }
                close(byte)
            case UInt8(ascii: "]"):
                close(byte)
            default:
                expectsValue = false
                index += 1
            }
        }
        return nil
    }

    private var startsItsLine: Bool {
        bytes[lineStart..<index].allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }

    /// At a header's `[`: the first key must start with a key character, a
    /// quote, or `]` (an empty header, which toml++ reports itself).
    private mutating func checkHeader() -> Spot? {
        index += 1
        if index < bytes.count && bytes[index] == UInt8(ascii: "[") { index += 1 }
        while index < bytes.count && (bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t")) { index += 1 }
        // The end of the text is reported by toml++ itself.
        guard index < bytes.count else { return nil }
        let first = bytes[index]
        let isKeyStart = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first)
            || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
            || [UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "]")].contains(first)
        return isKeyStart ? nil : spot("a table header must start with a key (a letter, digit, _, - or a quote)")
    }

    private mutating func close(_ byte: UInt8) {
        let opening = byte == UInt8(ascii: "]") ? UInt8(ascii: "[") : UInt8(ascii: "{")
        if open.last == opening { open.removeLast() }
        expectsValue = false
        index += 1
    }

    /// Past a basic or literal string, single-line or multi-line.
    private mutating func skipString(quote: UInt8) {
        let isMultiLine = index + 2 < bytes.count && bytes[index + 1] == quote && bytes[index + 2] == quote
        index += isMultiLine ? 3 : 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") && quote == UInt8(ascii: "\"") {
                index += 2
                continue
            }
            if byte == UInt8(ascii: "\n") {
                // A single-line string ends here (toml++ reports it); a multi-line one goes on.
                guard isMultiLine else { return }
                line += 1
                lineStart = index + 1
            }
            index += 1
            if byte == quote {
                if !isMultiLine { return }
                if index + 1 < bytes.count && bytes[index] == quote && bytes[index + 1] == quote {
                    index += 2
                    return
                }
            }
        }
    }

    private mutating func skipLine() {
        while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
    }

    private func spot(_ message: String) -> Spot {
        Spot(line: line, column: index - lineStart + 1, message: message)
    }
}
