import HuddleJSON

/// A client message's envelope (PROTOCOL.md §2), located without decoding
/// `data`: a cursor relay splices the client's `data` bytes as they are.
struct Envelope {
    enum Failure: Error {
        /// The text is not JSON.
        case badJSON(JSONParseError)
        /// JSON, but not a valid envelope; `id` is echoed if it was valid.
        case badEnvelope(String, id: JSONValue?)
    }

    let type: String
    /// The request id (string or number), `nil` when absent or null.
    let id: JSONValue?
    /// Byte range of the `data` object in the text, `nil` when absent or null.
    let data: Range<Int>?

    private static let null = UInt8(ascii: "n")
    private static let objectStart = UInt8(ascii: "{")
    private static let stringStart = UInt8(ascii: "\"")

    static func parse(_ text: UnsafeRawBufferPointer) -> Result<Envelope, Failure> {
        let members: [JSONMemberSpan]
        do {
            guard let found = try JSONParser.topLevelMembers(text) else {
                return .failure(.badEnvelope("a message must be a JSON object", id: nil))
            }
            members = found
        } catch {
            return .failure(.badJSON(error))
        }
        // Later duplicates win, as when the object is decoded.
        var typeSpan: JSONMemberSpan?, idSpan: JSONMemberSpan?, dataSpan: JSONMemberSpan?
        for member in members {
            switch member.key {
            case "type": typeSpan = member
            case "id": idSpan = member
            case "data": dataSpan = member
            default: break
            }
        }

        var id: JSONValue?
        if let idSpan, idSpan.firstByte != null {
            let value = decode(idSpan.valueRange, in: text)
            switch value {
            case .string, .int, .double: id = value
            default: return .failure(.badEnvelope("id must be a string or a number", id: nil))
            }
        }
        guard let typeSpan, typeSpan.firstByte == stringStart, let type = decode(typeSpan.valueRange, in: text).stringValue else {
            return .failure(.badEnvelope("type must be a string", id: id))
        }
        var data: Range<Int>?
        if let dataSpan, dataSpan.firstByte != null {
            guard dataSpan.firstByte == objectStart else {
                return .failure(.badEnvelope("data must be an object", id: id))
            }
            data = dataSpan.valueRange
        }
        return .success(Envelope(type: type, id: id, data: data))
    }

    /// Decodes a value the envelope scan has already validated.
    static func decode(_ range: Range<Int>, in text: UnsafeRawBufferPointer) -> JSONValue {
        do {
            return try JSONParser.parse(UnsafeRawBufferPointer(rebasing: text[range]))
        } catch {
            preconditionFailure("a validated JSON value failed to parse: \(error)")
        }
    }
}
