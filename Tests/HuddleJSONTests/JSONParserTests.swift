import HuddleJSON
import Testing

@Test func integersStayIntegers() throws {
    #expect(try JSONParser.parse("17") == .int(17))
    #expect(try JSONParser.parse("17.5") == .double(17.5))
    #expect(JSONValue.int(17).jsonString == "17")
}

@Test func roundTripsNestedDocument() throws {
    let text = #"{"a":[1,2.5,"x\n\"y\"",true,false,null],"b":{"c":"é😀"}}"#
    let value = try JSONParser.parse(text)
    #expect(try JSONParser.parse(value.jsonString) == value)
    #expect(value["b"]?["c"]?.stringValue == "é😀")
}

@Test func decodesSurrogatePairEscapes() throws {
    #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
    #expect(throws: JSONParseError.self) { try JSONParser.parse(#""\ud83d""#) }
}

@Test(arguments: ["", "{", "[1,]", "{\"a\":}", "01", "1.", "tru", "\"a", "{} x", "[\"\u{01}\"]", "{'a':1}", "NaN"])
func rejectsInvalidDocuments(text: String) {
    #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
}

@Test func rejectsExcessiveNesting() {
    let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
    #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
}

@Test func topLevelMembersLocateValueBytes() throws {
    let bytes = Array(#" {"type":"cursor", "data" : {"x":0.42,"y":[1,2]} } "#.utf8)
    let members = try bytes.withUnsafeBytes { try JSONParser.topLevelMembers($0) }
    let data = try #require(members?.first { $0.key == "data" })
    #expect(String(decoding: bytes[data.valueRange], as: UTF8.self) == #"{"x":0.42,"y":[1,2]}"#)
    #expect(members?.first?.key == "type")
}

@Test func topLevelMembersOfNonObjectIsNil() throws {
    let members = try Array("[1,2]".utf8).withUnsafeBytes { try JSONParser.topLevelMembers($0) }
    #expect(members == nil)
    #expect(throws: JSONParseError.self) { try Array("{\"a\":1".utf8).withUnsafeBytes { try JSONParser.topLevelMembers($0) } }
}

/// Found by scripts/fuzz envelope: the validating scan passed a number past
/// Double's range that the full parse refuses, and the envelope decoder
/// treats a scanned span that fails to parse as a broken invariant (a crash).
@Test(arguments: ["1e999", "-1E+400", String(repeating: "9", count: 400)])
func fuzzNumberPastDoubleRangeIsRefusedByTheScanToo(number: String) {
    #expect(throws: JSONParseError.self) {
        try Array(#"{"type":"ping","id":\#(number)}"#.utf8).withUnsafeBytes { try JSONParser.topLevelMembers($0) }
    }
    #expect(throws: JSONParseError.self) { try JSONParser.parse(number) }
}

@Test func scanAcceptsLargeNumbersInsideDoubleRange() throws {
    let text = Array(#"{"a":1e308,"b":-2.5E-400,"c":123456789012345678901234567890}"#.utf8)
    #expect(try text.withUnsafeBytes { try JSONParser.topLevelMembers($0) }?.count == 3)
}

/// Found by scripts/fuzz envelope: the scan passed a lone surrogate escape
/// (`\ud8a8` with no low half) that the full parse refuses.
@Test(arguments: [#""\ud8a8oa""#, #""\udc00""#, #""\ud800\u0041""#])
func fuzzLoneSurrogateEscapeIsRefusedByTheScanToo(string: String) {
    #expect(throws: JSONParseError.self) {
        try Array(#"{"type":"cursor","data":{"x":\#(string)}}"#.utf8).withUnsafeBytes { try JSONParser.topLevelMembers($0) }
    }
    #expect(throws: JSONParseError.self) { try JSONParser.parse(string) }
}
