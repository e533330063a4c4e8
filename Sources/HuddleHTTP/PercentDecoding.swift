/// Percent-decoding (RFC 3986 §2.1) of paths and query strings.
public enum PercentDecoding {
    /// Replaces each `%XX` with its byte and, when `plusAsSpace` (query
    /// strings, form encoding), each `+` with a space. Nil when a `%` is not
    /// followed by two hex digits or the decoded bytes are not valid UTF-8.
    public static func decode(_ text: Substring, plusAsSpace: Bool = false) -> String? {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == HTTPSyntax.percent || (plusAsSpace && $0 == HTTPSyntax.plus) }) else {
            return String(text)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            index = utf8.index(after: index)
            switch byte {
            case HTTPSyntax.percent:
                guard index != utf8.endIndex, let high = HTTPSyntax.hexValue(utf8[index]) else { return nil }
                index = utf8.index(after: index)
                guard index != utf8.endIndex, let low = HTTPSyntax.hexValue(utf8[index]) else { return nil }
                index = utf8.index(after: index)
                decoded.append(high << 4 | low)
            case HTTPSyntax.plus where plusAsSpace:
                decoded.append(HTTPSyntax.space)
            default:
                decoded.append(byte)
            }
        }
        return String(validating: decoded, as: UTF8.self)
    }

    public static func decode(_ text: String, plusAsSpace: Bool = false) -> String? {
        decode(text[...], plusAsSpace: plusAsSpace)
    }
}
