import Foundation
import Testing

/// A fenced block of a Markdown document, and the file it says it quotes.
private struct QuotedBlock {
    let language: String
    let text: String
    /// The backquoted path on the last line before the block, if any.
    let source: String?
    let line: Int
}

/// The fenced blocks of `markdown`, in order.
private func blocks(of markdown: String) -> [QuotedBlock] {
    let lines = markdown.components(separatedBy: "\n")
    let sourcePattern = try! NSRegularExpression(pattern: "^`([^`]+)`:$")
    var found: [QuotedBlock] = []
    var index = 0
    while index < lines.count {
        guard lines[index].hasPrefix("```") else { index += 1; continue }
        let language = String(lines[index].dropFirst(3))
        let previous = lines[..<index].last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
        let match = sourcePattern.firstMatch(in: previous, range: NSRange(previous.startIndex..., in: previous))
        let source = match.flatMap { Range($0.range(at: 1), in: previous) }.map { String(previous[$0]) }
        let end = lines[(index + 1)...].firstIndex { $0.hasPrefix("```") } ?? lines.count
        found.append(QuotedBlock(language: language, text: lines[(index + 1)..<end].joined(separator: "\n"),
                                 source: source, line: index + 1))
        index = end + 1
    }
    return found
}

/// Swift and TOML are what an author copies into a build; shell commands
/// and wire messages are not compiled.
private let compiledLanguages: Set<String> = ["swift", "toml"]

@Test func everySwiftAndTOMLBlockOfTheGuideIsQuotedFromABuiltFile() throws {
    let quoted = blocks(of: try Repository.text("Plugins/README.md")).filter { compiledLanguages.contains($0.language) }
    #expect(quoted.count >= 6, "the guide's blocks are found")
    for block in quoted {
        guard let source = block.source else {
            Issue.record("Plugins/README.md:\(block.line): name the file this block quotes on the line before it")
            continue
        }
        let file = try Repository.text(source)
        #expect(file.contains(block.text), "Plugins/README.md:\(block.line) differs from \(source); quote it again")
    }
}

@Test func guideQuotesOnlyFilesThatCIBuilds() throws {
    let sources = blocks(of: try Repository.text("Plugins/README.md")).compactMap(\.source)
    for source in sources {
        #expect(source.hasPrefix("Examples/deals-server/") || source.hasPrefix("Sources/"),
                "\(source) is neither the example package nor this package's sources")
    }
}
