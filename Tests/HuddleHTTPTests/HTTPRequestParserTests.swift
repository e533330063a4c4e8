import HuddleHTTP
import Testing

@Test func requestInOnePieceHasEveryPart() throws {
    let outcome = parse("POST /api/x%20y?a=1&b=2 HTTP/1.1\r\nHost: h\r\nX-Name:  spaced value \t\r\nContent-Length: 5\r\n\r\nhello")
    let request = try #require(outcome.requests.first)
    #expect(outcome.error == nil && outcome.requests.count == 1)
    #expect(request.method == "POST")
    #expect(request.target == "/api/x%20y?a=1&b=2")
    #expect(request.path == "/api/x%20y")
    #expect(request.query == "a=1&b=2")
    #expect(request.versionMinor == 1)
    #expect(request.headers["x-name"] == "spaced value")
    #expect(request.body == Array("hello".utf8))
}

@Test func requestSplitAtEveryByteParsesTheSame() {
    let stream = Array((
        "POST /a?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world"
        + "PUT /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n!\r\n0\r\nTrailer: t\r\n\r\n"
        + getRequest("/c", headers: ["Connection: close"])
    ).utf8)
    let whole = parse(pieces: [stream])
    #expect(whole.error == nil)
    #expect(whole.requests.map(\.path) == ["/a", "/b", "/c"])
    for pieces in allSplits(of: stream) {
        #expect(parse(pieces: pieces) == whole)
    }
}

/// Small limits keep the inputs short enough to try every split.
private let smallLimits = HTTPLimits(maxRequestLine: 64, maxHeaderBytes: 128, maxHeaderCount: 4, maxBodyBytes: 32)

@Test(arguments: [
    "GET / HTTP/1.1\r\nHost: h\r\nBad Header: x\r\n\r\n",
    "GET / HTTP/1.1\nHost: h\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nX: \(String(repeating: "v", count: 200))\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n",
    "GET /\(String(repeating: "p", count: 100)) HTTP/1.1\r\n\r\n",
    "GET /\(String(repeating: "p", count: 100))\r\nHost: h\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 33\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1F\r\n\(String(repeating: "z", count: 31))\r\n2\r\n",
])
func malformedRequestFailsTheSameAtEverySplit(text: String) throws {
    let stream = Array(text.utf8)
    let error = try #require(parse(pieces: [stream], limits: smallLimits).error)
    for pieces in allSplits(of: stream) {
        #expect(parse(pieces: pieces, limits: smallLimits).error == error)
    }
}

@Test func linesExactlyAtTheLimitsAreAcceptedAtEverySplit() {
    // Request line: 64 bytes. Header section: 9 + 117 + 2 = 128 bytes.
    let target = "/" + String(repeating: "t", count: 64 - "GET / HTTP/1.1".count)
    let text = "GET \(target) HTTP/1.1\r\nHost: h\r\nX: \(String(repeating: "v", count: 112))\r\n\r\n"
    let stream = Array(text.utf8)
    for pieces in allSplits(of: stream) {
        let outcome = parse(pieces: pieces, limits: smallLimits)
        #expect(outcome.error == nil && outcome.requests.count == 1)
    }
}

@Test func pipelinedRequestsComeOutInOrderFromOneRead() throws {
    var parser = HTTPRequestParser()
    parser.append(Array((getRequest("/1") + getRequest("/2") + "GET /3 HTTP/1.1\r\nHo").utf8))
    #expect(try parser.nextRequest()?.path == "/1")
    #expect(try parser.nextRequest()?.path == "/2")
    #expect(try parser.nextRequest() == nil)
    #expect(parser.hasPartialRequest)
    parser.append(Array("st: h\r\n\r\n".utf8))
    #expect(try parser.nextRequest()?.path == "/3")
    #expect(!parser.hasPartialRequest)
}

@Test func blankLinesBeforeARequestAreSkipped() {
    let outcome = parse("\r\n\r\n" + getRequest("/after"))
    #expect(outcome.error == nil)
    #expect(outcome.requests.map(\.path) == ["/after"])
}

@Test(arguments: [
    (0, nil, false), (0, "keep-alive", true), (0, "Keep-Alive", true), (0, "close", false),
    (1, nil, true), (1, "close", false), (1, "Close", false), (1, "keep-alive", true),
    (1, "keep-alive, Upgrade", true), (1, "Upgrade, close", false), (0, "keep-alive, close", false),
] as [(Int, String?, Bool)])
func keepAliveFollowsVersionAndConnectionHeader(minor: Int, connection: String?, expected: Bool) throws {
    let connectionLine = connection.map { "Connection: \($0)\r\n" } ?? ""
    let outcome = parse("GET / HTTP/1.\(minor)\r\nHost: h\r\n\(connectionLine)\r\n")
    #expect(try #require(outcome.requests.first).keepAlive == expected)
}

@Test func chunkedBodyWithExtensionsAndTrailersIsReassembled() throws {
    let text = "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n"
        + "4;name=value;flag\r\nWiki\r\n5 ; quoted=\"a b\"\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n"
        + "0\r\nExpires: never\r\nX-Checksum: abc\r\n\r\n"
    let outcome = parse(text)
    let request = try #require(outcome.requests.first)
    #expect(outcome.error == nil)
    #expect(request.body == Array("Wikipedia in\r\n\r\nchunks.".utf8))
    #expect(request.headers["Expires"] == nil)
}

@Test func bytesAfterAnUpgradeRequestAreHandedBack() throws {
    let frame: [UInt8] = [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]
    var parser = HTTPRequestParser()
    parser.append(Array(getRequest("/ws/room", headers: ["Upgrade: websocket", "Connection: Upgrade"]).utf8) + frame)
    let request = try #require(try parser.nextRequest())
    #expect(request.headers.hasToken("Connection", "upgrade"))
    #expect(parser.takeBufferedBytes() == frame)
    #expect(parser.takeBufferedBytes() == [])
}

@Test func takeBufferedBytesIncludesAPartlyParsedRequest() throws {
    var parser = HTTPRequestParser()
    let partial = Array("GET /next HTTP/1.1\r\nHost: h\r\n".utf8)
    parser.append(Array(getRequest("/first").utf8) + partial)
    #expect(try parser.nextRequest()?.path == "/first")
    #expect(try parser.nextRequest() == nil)
    #expect(parser.takeBufferedBytes() == partial)
}

@Test func errorIsStickyEvenAfterValidBytes() {
    var parser = HTTPRequestParser()
    parser.append(Array("GET / HTTP/1.1\r\nHost: h\r\nBad Header: x\r\n\r\n".utf8))
    #expect(throws: HTTPParseError.self) { try parser.nextRequest() }
    parser.append(Array(getRequest().utf8))
    #expect(throws: HTTPParseError.self) { try parser.nextRequest() }
}

@Test func absoluteFormTargetYieldsPathAndQuery() throws {
    let request = try #require(parse("GET http://example.test:8080/p/q?x=1 HTTP/1.1\r\nHost: example.test\r\n\r\n").requests.first)
    #expect(request.path == "/p/q")
    #expect(request.query == "x=1")
    let bare = try #require(parse("GET HTTPS://example.test HTTP/1.1\r\nHost: example.test\r\n\r\n").requests.first)
    #expect(bare.path == "/")
    #expect(bare.query == nil)
}

@Test func asteriskTargetIsOnlyForOptions() throws {
    #expect(try #require(parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n").requests.first).path == "*")
    #expect(parse("GET * HTTP/1.1\r\nHost: h\r\n\r\n").error?.status == 400)
}

@Test func bodyOfAGetWithContentLengthIsRead() throws {
    let outcome = parse("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc" + getRequest("/2"))
    #expect(outcome.requests.map(\.body) == [Array("abc".utf8), []])
}

@Test func http10RequestNeedsNoHost() throws {
    let request = try #require(parse("GET /old HTTP/1.0\r\n\r\n").requests.first)
    #expect(request.versionMinor == 0)
}

/// A fixed-seed generator, so a failing mutant is the same on every run.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Test func mutatedStreamsParseTheSameAtEverySplit() {
    let seed = Array((
        "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
        + "PUT /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;x\r\nxyz\r\n0\r\nT: 1\r\n\r\n"
    ).utf8)
    let interesting = Array("\r\n :;0aF\t\u{0}".utf8)
    var generator = SplitMix64(state: 1)
    for _ in 0..<80 {
        var stream = seed
        for _ in 0..<Int.random(in: 1...3, using: &generator) {
            let index = Int.random(in: 0..<stream.count, using: &generator)
            let byte = interesting.randomElement(using: &generator)!
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: stream[index] = byte
            case 1: stream.insert(byte, at: index)
            default: stream.remove(at: index)
            }
        }
        let whole = parse(pieces: [stream], limits: smallLimits)
        for pieces in allSplits(of: stream) where parse(pieces: pieces, limits: smallLimits) != whole {
            Issue.record("split \(pieces.map(\.count)) of \(String(decoding: stream, as: UTF8.self).debugDescription) differs")
            break
        }
    }
}
