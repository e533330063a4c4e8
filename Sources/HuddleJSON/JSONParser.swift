/// Why a text is not JSON, with the byte offset where reading stopped.
public struct JSONParseError: Error, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// One member of a top-level JSON object, located without decoding its value.
public struct JSONMemberSpan: Equatable, Sendable {
    public let key: String
    /// Byte range of the value's text in the scanned buffer.
    public let valueRange: Range<Int>
    /// The first byte of the value, which tells its type: `{`, `[`, `"`, `t`, `f`, `n`, or a number.
    public let firstByte: UInt8
}

/// A strict RFC 8259 parser over UTF-8 bytes.
///
/// Hand-written because the envelope path needs byte spans (a cursor relay
/// splices the client's `data` bytes into the outgoing message without
/// decoding them) and exact integer/double/boolean distinctions, which
/// Foundation's JSONSerialization blurs on Linux.
public struct JSONParser {
    /// Nesting deeper than this is rejected rather than risking the stack.
    public static let maxDepth = 128

    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private var depth = 0

    private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Parses a whole document.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("trailing characters") }
        return value
    }

    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        do {
            return try bytes.withUnsafeBytes { try parse($0) }
        } catch let error as JSONParseError {
            throw error
        } catch {
            fatalError("unreachable: \(error)")
        }
    }

    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    /// Validates a whole document and, if it is an object, returns where each
    /// top-level member's value lies; `nil` if the document is valid JSON but
    /// not an object.
    public static func topLevelMembers(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> [JSONMemberSpan]? {
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        guard parser.peek() == UInt8(ascii: "{") else {
            try parser.skipValue()
            parser.skipWhitespace()
            guard parser.index == bytes.count else { throw parser.error("trailing characters") }
            return nil
        }
        var members: [JSONMemberSpan] = []
        parser.index += 1
        parser.depth = 1
        parser.skipWhitespace()
        if parser.peek() == UInt8(ascii: "}") {
            parser.index += 1
        } else {
            while true {
                parser.skipWhitespace()
                guard parser.peek() == UInt8(ascii: "\"") else { throw parser.error("expected a member name") }
                let key = try parser.parseString()
                parser.skipWhitespace()
                try parser.expect(UInt8(ascii: ":"))
                parser.skipWhitespace()
                let start = parser.index
                let first = parser.peek() ?? 0
                try parser.skipValue()
                members.append(JSONMemberSpan(key: key, valueRange: start..<parser.index, firstByte: first))
                parser.skipWhitespace()
                if parser.peek() == UInt8(ascii: ",") { parser.index += 1; continue }
                try parser.expect(UInt8(ascii: "}"))
                break
            }
        }
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("trailing characters") }
        return members
    }

    // MARK: Values

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard let byte = peek() else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"):
            try enter()
            index += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if peek() == UInt8(ascii: "}") { index += 1; depth -= 1; return .object(members) }
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else { throw error("expected a member name") }
                let key = try parseString()
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                skipWhitespace()
                members[key] = try parseValue()
                skipWhitespace()
                if peek() == UInt8(ascii: ",") { index += 1; continue }
                try expect(UInt8(ascii: "}"))
                depth -= 1
                return .object(members)
            }
        case UInt8(ascii: "["):
            try enter()
            index += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { index += 1; depth -= 1; return .array(elements) }
            while true {
                skipWhitespace()
                elements.append(try parseValue())
                skipWhitespace()
                if peek() == UInt8(ascii: ",") { index += 1; continue }
                try expect(UInt8(ascii: "]"))
                depth -= 1
                return .array(elements)
            }
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"):
            try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"):
            try expectWord("null"); return .null
        default:
            return try parseNumber()
        }
    }

    /// Validates a value without building it.
    private mutating func skipValue() throws(JSONParseError) {
        guard let byte = peek() else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"):
            try enter()
            index += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "}") { index += 1; depth -= 1; return }
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else { throw error("expected a member name") }
                try skipString()
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                skipWhitespace()
                try skipValue()
                skipWhitespace()
                if peek() == UInt8(ascii: ",") { index += 1; continue }
                try expect(UInt8(ascii: "}"))
                depth -= 1
                return
            }
        case UInt8(ascii: "["):
            try enter()
            index += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { index += 1; depth -= 1; return }
            while true {
                skipWhitespace()
                try skipValue()
                skipWhitespace()
                if peek() == UInt8(ascii: ",") { index += 1; continue }
                try expect(UInt8(ascii: "]"))
                depth -= 1
                return
            }
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "t"):
            try expectWord("true")
        case UInt8(ascii: "f"):
            try expectWord("false")
        case UInt8(ascii: "n"):
            try expectWord("null")
        default:
            let start = index
            _ = try numberEnd()
            try checkRange(ofNumberFrom: start)
        }
    }

    // MARK: Strings

    private mutating func skipString() throws(JSONParseError) {
        index += 1
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"):
                index += 1
                guard let escaped = peek() else { throw error("unterminated string") }
                if escaped == UInt8(ascii: "u") {
                    index += 1
                    // Decoded only to be checked: what parseString refuses, the scan must refuse.
                    _ = try unicodeEscape()
                } else if Self.simpleEscape(escaped) != nil {
                    index += 1
                } else {
                    throw error("invalid escape")
                }
            case 0..<0x20:
                throw error("control character in string")
            default:
                index += 1
            }
        }
        throw error("unterminated string")
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes, so the bytes are the string.
        while let byte = peek(), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 {
            index += 1
        }
        if peek() == UInt8(ascii: "\"") {
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            index += 1
            return text
        }
        var scalars = Array(bytes[start..<index])
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: scalars, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard let escaped = peek() else { throw error("unterminated string") }
                index += 1
                if escaped == UInt8(ascii: "u") {
                    scalars.append(contentsOf: Array(String(Character(try unicodeEscape())).utf8))
                } else if let plain = Self.simpleEscape(escaped) {
                    scalars.append(plain)
                } else {
                    throw error("invalid escape")
                }
            case 0..<0x20:
                throw error("control character in string")
            default:
                scalars.append(byte)
                index += 1
            }
        }
        throw error("unterminated string")
    }

    /// The scalar of a `\\u` escape whose four hex digits start at `index`,
    /// with the low half of a surrogate pair when it is the high half.
    private mutating func unicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        var code = UInt32(try hex4())
        if (0xD800..<0xDC00).contains(code) {
            guard peek() == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                throw error("unpaired surrogate")
            }
            index += 2
            let low = UInt32(try hex4())
            guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(code) {
            throw error("unpaired surrogate")
        }
        guard let scalar = Unicode.Scalar(code) else { throw error("invalid code point") }
        return scalar
    }

    private static func simpleEscape(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "\""): return UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): return UInt8(ascii: "\\")
        case UInt8(ascii: "/"): return UInt8(ascii: "/")
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        default: return nil
        }
    }

    private mutating func hex4() throws(JSONParseError) -> UInt16 {
        guard index + 4 <= bytes.count else { throw error("short \\u escape") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    // MARK: Numbers

    /// Validates the number grammar at `index`; returns whether it had a fraction or exponent.
    private mutating func numberEnd() throws(JSONParseError) -> Bool {
        var isInteger = true
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), Self.isDigit(first) else { throw error("unexpected character") }
        index += 1
        if first != UInt8(ascii: "0") {
            while let byte = peek(), Self.isDigit(byte) { index += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard let byte = peek(), Self.isDigit(byte) else { throw error("digit expected after '.'") }
            while let byte = peek(), Self.isDigit(byte) { index += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let byte = peek(), Self.isDigit(byte) else { throw error("digit expected in exponent") }
            while let byte = peek(), Self.isDigit(byte) { index += 1 }
        }
        return !isInteger
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        let isFractional = try numberEnd()
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if !isFractional, let integer = Int(text) { return .int(integer) }
        return .double(try finiteDouble(text))
    }

    /// The validator that skips values must refuse what `parseNumber` refuses:
    /// a span it passed is decoded later and must not fail then. Only an
    /// exponent or more than 308 characters can leave Double's range, so
    /// everyday numbers (a cursor's 0.42) skip the conversion.
    private func checkRange(ofNumberFrom start: Int) throws(JSONParseError) {
        let number = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
        guard number.count > 308 || number.contains(UInt8(ascii: "e")) || number.contains(UInt8(ascii: "E")) else { return }
        _ = try finiteDouble(String(decoding: number, as: UTF8.self))
    }

    private func finiteDouble(_ text: String) throws(JSONParseError) -> Double {
        guard let double = Double(text), double.isFinite else { throw error("number out of range") }
        return double
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    // MARK: Helpers

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws(JSONParseError) {
        guard peek() == byte else {
            throw error(peek() == nil ? "unexpected end of input" : "expected '\(Character(Unicode.Scalar(byte)))'")
        }
        index += 1
    }

    private mutating func expectWord(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end of input") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw error("unexpected character")
        }
        index += count
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > Self.maxDepth { throw error("nested deeper than \(Self.maxDepth)") }
    }

    private func error(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }
}
