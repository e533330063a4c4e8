import Foundation

/// Files of this repository, found from this file's path, for tests that
/// hold the documents to the code.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The text of `path`, relative to the root.
    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// The Swift files under `directory` (or `directory` itself, if it is
    /// one), relative to the root.
    static func swiftFiles(under directory: String) -> [String] {
        if directory.hasSuffix(".swift") { return [directory] }
        let base = root.appendingPathComponent(directory)
        let walker = FileManager.default.enumerator(atPath: base.path)
        return (walker?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".swift") }.sorted()
            .map { "\(directory)/\($0)" }
    }

    /// Every first capture of `pattern` in the Swift files under `directory`.
    static func captures(of pattern: String, inSwiftUnder directory: String) throws -> Set<String> {
        let expression = try NSRegularExpression(pattern: pattern)
        var found: Set<String> = []
        for path in swiftFiles(under: directory) {
            let text = try text(path)
            for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let range = Range(match.range(at: 1), in: text) { found.insert(String(text[range])) }
            }
        }
        return found
    }
}
