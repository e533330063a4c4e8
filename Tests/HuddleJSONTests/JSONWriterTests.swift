import HuddleJSON
import Testing

@Test(arguments: [
    ("plain id_42", #""plain id_42""#),
    ("", #""""#),
    (#"say "hi""#, #""say \"hi\"""#),
    (#"C:\dir"#, #""C:\\dir""#),
    ("a\nb\rc\td", #""a\nb\rc\td""#),
    ("\u{01}x\u{1F}", #""\u0001x\u001f""#),
    ("é😀\u{7F}", "\"é😀\u{7F}\""),
    ("\"", #""\"""#),
])
func stringsAreEscapedExactlyWhereJSONRequires(input: String, expected: String) throws {
    var out: [UInt8] = Array("[".utf8)
    JSONValue.writeString(input, to: &out)
    #expect(String(decoding: out.dropFirst(), as: UTF8.self) == expected)
    #expect(try JSONParser.parse(Array(out.dropFirst())) == .string(input))
}
