import Foundation

/// Finds where a key or table header sits in a TOML text, so a problem with a
/// value can point at its line and column. TOMLKit reports positions only for
/// syntax errors, so this is a line scan: it understands `[table]` and
/// `[[array]]` headers and `key = value` lines, and answers `nil` (the caller
/// then names only the file) for anything it cannot place, such as dotted keys
/// or inline tables.
struct TOMLKeyLocator {
    /// A 1-based line and column, as TOMLKit reports syntax errors.
    struct Position: Equatable {
        let line: Int
        let column: Int
    }

    private struct Line {
        let number: Int
        let indent: Int
        let content: Substring
    }

    private let lines: [Line]

    init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, raw in
            let content = raw.drop { $0 == " " || $0 == "\t" }
            let trimmed = content.hasSuffix("\r") ? content.dropLast() : content
            return Line(number: index + 1, indent: raw.count - content.count, content: trimmed)
        }
    }

    /// The position of `key` inside the `occurrence`-th table with header
    /// `table` (`[]` is the root, before any header), or of the header itself
    /// when `key` is `nil`.
    func position(table: [String], occurrence: Int = 0, key: String? = nil) -> Position? {
        var currentTable: [String] = []
        var seen = table.isEmpty ? 1 : 0
        for line in lines {
            if let header = Self.header(line.content) {
                currentTable = header
                if header == table {
                    seen += 1
                    if key == nil, seen == occurrence + 1 { return Position(line: line.number, column: line.indent + 1) }
                }
                continue
            }
            guard let key, currentTable == table, seen == occurrence + 1 else { continue }
            if Self.key(line.content) == key { return Position(line: line.number, column: line.indent + 1) }
        }
        return nil
    }

    /// The dotted name in a `[a.b]` or `[[a]]` header line.
    private static func header(_ content: Substring) -> [String]? {
        guard content.hasPrefix("[") else { return nil }
        let brackets = content.hasPrefix("[[") ? 2 : 1
        guard let close = content.firstIndex(of: "]") else { return nil }
        let name = content[content.index(content.startIndex, offsetBy: brackets)..<close]
        return name.split(separator: ".").map { unquote($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// The key of a `key = value` line.
    private static func key(_ content: Substring) -> String? {
        guard let equals = content.firstIndex(of: "=") else { return nil }
        return unquote(content[..<equals].trimmingCharacters(in: .whitespaces))
    }

    private static func unquote(_ text: String) -> String {
        for quote in ["\"", "'"] where text.count >= 2 && text.hasPrefix(quote) && text.hasSuffix(quote) {
            return String(text.dropFirst().dropLast())
        }
        return text
    }
}

