import HuddleHTTP
import Testing

private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

@Test func serializationAddsContentLengthAndBody() {
    let response = HTTPResponse(status: 200, headers: HTTPHeaders([("X-A", "1")]), body: Array("hello".utf8))
    #expect(text(response.serialized()) == "HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 5\r\n\r\nhello")
}

@Test func givenContentLengthIsNotDuplicated() {
    let response = HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Length", "9")]))
    #expect(text(response.serialized()) == "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n")
}

@Test func headSerializationHasLengthButNoBody() {
    let response = HTTPResponse(status: 200, body: Array("hello".utf8))
    #expect(text(response.serialized(includeBody: false)) == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")
}

@Test(arguments: [101, 204, 304])
func bodylessStatusHasNoLengthAndNoBody(status: Int) {
    let response = HTTPResponse(status: status, body: Array("ignored".utf8))
    let wire = text(response.serialized())
    #expect(wire.hasSuffix("\r\n\r\n"))
    #expect(!wire.contains("Content-Length"))
    #expect(!wire.contains("ignored"))
}

@Test func closingResponseSaysConnectionClose() {
    let response = HTTPResponse(status: 400, headers: HTTPHeaders([("Connection", "keep-alive")]))
    #expect(text(response.serialized(keepAlive: false)) == "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
    #expect(!text(response.serialized(keepAlive: true)).contains("close"))
}

@Test func jsonResponseHasJSONContentType() {
    let response = HTTPResponse.json(404, Array(#"{"error":"not_found"}"#.utf8), headers: HTTPHeaders([("Content-Type", "text/plain")]))
    #expect(response.headers.values("Content-Type") == ["application/json"])
    #expect(text(response.serialized()).hasSuffix("\r\n\r\n{\"error\":\"not_found\"}"))
}

@Test func lineBreaksInHeaderValuesCannotSplitTheResponse() {
    let response = HTTPResponse(status: 200, headers: HTTPHeaders([("X-Echo", "a\r\nSet-Cookie: evil")]))
    #expect(text(response.serialized()) == "HTTP/1.1 200 OK\r\nX-Echo: a  Set-Cookie: evil\r\nContent-Length: 0\r\n\r\n")
}

@Test func responseForARequestFollowsItsMethodAndConnection() {
    let response = HTTPResponse(status: 200, body: Array("x".utf8))
    let head = HTTPRequest(method: "HEAD", target: "/", headers: HTTPHeaders([("Host", "h")]))
    #expect(text(response.serialized(for: head)) == "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n")
    let oldKeepAlive = HTTPRequest(method: "GET", target: "/", versionMinor: 0, headers: HTTPHeaders([("Connection", "keep-alive")]))
    #expect(text(response.serialized(for: oldKeepAlive)) == "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx")
    let old = HTTPRequest(method: "GET", target: "/", versionMinor: 0)
    #expect(text(response.serialized(for: old)) == "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx")
}

@Test func unknownStatusHasAnEmptyReasonPhrase() {
    #expect(text(HTTPResponse(status: 599).serialized()).hasPrefix("HTTP/1.1 599 \r\n"))
    #expect(HTTPResponse.reasonPhrase(431) == "Request Header Fields Too Large")
}
