import HuddleHTTP
import Testing

@Test(arguments: [
    ("plain", "plain"), ("a%20b", "a b"), ("%2F%2f", "//"), ("caf%C3%A9", "café"), ("a+b", "a+b"), ("", ""),
])
func percentDecodingDecodesEscapes(raw: String, decoded: String) {
    #expect(PercentDecoding.decode(raw) == decoded)
}

@Test func plusIsASpaceOnlyWhenAsked() {
    #expect(PercentDecoding.decode("a+b%2B", plusAsSpace: true) == "a b+")
}

@Test(arguments: ["%", "%2", "%zz", "a%g1", "%C3", "%FF", "%C3%28"])
func badEscapeOrInvalidUTF8DecodesToNil(raw: String) {
    #expect(PercentDecoding.decode(raw) == nil)
}

@Test func queryItemsAreDecodedInOrder() {
    let request = HTTPRequest(method: "GET", target: "/ws/a?user=ann+lee&name=Ann%20Lee&flag&&user=second&empty=")
    #expect(request.queryItems().map { "\($0.name)=\($0.value)" } == [
        "user=ann lee", "name=Ann Lee", "flag=", "user=second", "empty=",
    ])
    #expect(request.queryValue("user") == "ann lee")
    #expect(request.queryValue("missing") == nil)
}

@Test func undecodableQueryItemKeepsItsRawText() {
    let request = HTTPRequest(method: "GET", target: "/?user=bad%zz&ok=1")
    #expect(request.queryValue("user") == "bad%zz")
    #expect(request.queryValue("ok") == "1")
}

@Test func requestWithoutQueryHasNoItems() {
    let request = HTTPRequest(method: "GET", target: "/path")
    #expect(request.query == nil)
    #expect(request.queryItems().isEmpty)
}
