/// Where a page of a listing ended: the last record's sort key and id
/// (contacts sort by lowercased name, records domains by `created_at`).
///
/// Clients see it as an opaque token (`next`): the hex of a small JSON
/// array. Hex keeps it URL- and JSON-safe without Foundation; the next page
/// starts after this position, so records added or removed between pages
/// neither repeat nor shift the listing.
public struct ListCursor: Comparable, Sendable {
    /// What the listing is ordered by.
    public let sortKey: String
    /// The record's id, which breaks ties.
    public let id: String

    /// The position of a record with `sortKey` and `id`.
    public init(sortKey: String, id: String) {
        self.sortKey = sortKey
        self.id = id
    }

    /// Decodes a token made by `token`; `nil` for anything else.
    public init?(token: String) {
        guard let bytes = Self.bytes(fromHex: token),
              let decoded = try? JSONParser.parse(bytes),
              case .array(let parts) = decoded, parts.count == 2,
              let sortKey = parts[0].stringValue, let id = parts[1].stringValue
        else { return nil }
        self.init(sortKey: sortKey, id: id)
    }

    /// The opaque token clients pass back.
    public var token: String {
        let digits = Array("0123456789abcdef".utf8)
        let bytes = JSONValue.array([.string(sortKey), .string(id)]).encoded()
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] }, as: UTF8.self)
    }

    /// Listing order: by sort key, then id.
    public static func < (lhs: ListCursor, rhs: ListCursor) -> Bool {
        (lhs.sortKey, lhs.id) < (rhs.sortKey, rhs.id)
    }

    private static func bytes(fromHex text: String) -> [UInt8]? {
        let nibbles = text.utf8.compactMap(nibble)
        guard nibbles.count == text.utf8.count, nibbles.count.isMultiple(of: 2) else { return nil }
        return stride(from: 0, to: nibbles.count, by: 2).map { nibbles[$0] << 4 | nibbles[$0 + 1] }
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
