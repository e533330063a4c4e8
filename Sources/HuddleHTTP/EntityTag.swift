/// Strong entity tags for static files and the If-None-Match check.
enum EntityTag {
    private static let fnvOffsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let fnvPrime: UInt64 = 0x0000_0100_0000_01b3

    /// A strong validator derived from the content: its 64-bit FNV-1a hash
    /// and its length, quoted. (No cryptographic hash is available to this
    /// module without a dependency, and none is needed: the tag only has to
    /// change when the file does, which this does for all practical edits.)
    static func strong(for content: [UInt8]) -> String {
        var hash = fnvOffsetBasis
        for byte in content {
            hash = (hash ^ UInt64(byte)) &* fnvPrime
        }
        let hex = String(hash, radix: 16)
        return "\"\(String(repeating: "0", count: 16 - hex.count))\(hex)-\(String(content.count, radix: 16))\""
    }

    /// Whether an If-None-Match value names `tag` (RFC 9110 §13.1.2: weak
    /// comparison, so `W/"x"` matches `"x"`; `*` matches any current file).
    static func ifNoneMatch(_ header: String, matches tag: String) -> Bool {
        let weakPrefix = Array("W/".utf8)
        return Array(header.utf8).split(separator: HTTPSyntax.comma).contains { element in
            var candidate = HTTPSyntax.trimmingWhitespace(element)
            if candidate.elementsEqual("*".utf8) { return true }
            if candidate.starts(with: weakPrefix) { candidate = candidate.dropFirst(weakPrefix.count) }
            return candidate.elementsEqual(tag.utf8)
        }
    }
}
