import HuddleHTTP
import Testing

// MARK: Limits

@Test func requestLineOfExactlyTheLimitIsAccepted() {
    let target = "/" + String(repeating: "a", count: 8192 - "GET / HTTP/1.1".count)
    let outcome = parse("GET \(target) HTTP/1.1\r\nHost: h\r\n\r\n")
    #expect(outcome.error == nil && outcome.requests.count == 1)
}

@Test func requestLineOverTheLimitIs414() {
    let target = "/" + String(repeating: "a", count: 8193 - "GET / HTTP/1.1".count)
    #expect(parse("GET \(target) HTTP/1.1\r\nHost: h\r\n\r\n").error?.status == 414)
}

@Test func requestLineOverTheLimitIs414BeforeItEnds() {
    #expect(parse("GET /" + String(repeating: "a", count: 9000)).error?.status == 414)
}

@Test func headerSectionOverTheByteLimitIs431() {
    let limits = HTTPLimits(maxHeaderBytes: 100)
    // "Host: example.test" (18) + "X: " and 73 bytes (76) + three CRLFs (6) = 100 bytes.
    let atLimit = getRequest(headers: ["X: " + String(repeating: "v", count: 73)])
    #expect(parse(atLimit, limits: limits).error == nil)
    let overLimit = getRequest(headers: ["X: " + String(repeating: "v", count: 74)])
    #expect(parse(overLimit, limits: limits).error?.status == 431)
}

@Test func headerSectionOverTheByteLimitIs431BeforeItEnds() {
    #expect(parse("GET / HTTP/1.1\r\nHost: h\r\nX: " + String(repeating: "v", count: 17_000)).error?.status == 431)
}

@Test func moreThanTheMaximumHeaderCountIs431() {
    let hundred = (1..<100).map { "X-\($0): v" }   // plus Host
    #expect(parse(getRequest(headers: hundred)).error == nil)
    #expect(parse(getRequest(headers: hundred + ["X-Last: v"])).error?.status == 431)
}

@Test func trailersCountAgainstTheHeaderCount() {
    let limits = HTTPLimits(maxHeaderCount: 3)
    let text = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\n\r\n"
    #expect(parse(text, limits: limits).error?.status == 431)
}

@Test func contentLengthOverTheBodyLimitIs413WithoutWaitingForTheBody() {
    #expect(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1048577\r\n\r\n").error?.status == 413)
    #expect(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n").error?.status == 413)
}

@Test func bodyOfExactlyTheLimitIsAccepted() {
    let limits = HTTPLimits(maxBodyBytes: 10)
    let outcome = parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789", limits: limits)
    #expect(outcome.requests.first?.body.count == 10)
}

@Test func chunkedTotalOverTheBodyLimitIs413() {
    let limits = HTTPLimits(maxBodyBytes: 10)
    let text = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n5\r\n"
    #expect(parse(text, limits: limits).error?.status == 413)
}

@Test func hugeChunkSizeIs413() {
    let text = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFFFFFF\r\n"
    #expect(parse(text).error?.status == 413)
}

@Test func overlongChunkSizeLineIs400() {
    let text = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1;" + String(repeating: "e", count: 5000)
    #expect(parse(text).error?.status == 400)
}

// MARK: Malformed

@Test(arguments: [
    "GET / HTTP/1.1 extra\r\nHost: h\r\n\r\n",
    "GET  / HTTP/1.1\r\nHost: h\r\n\r\n",
    "GET /\r\nHost: h\r\n\r\n",
    "G(T / HTTP/1.1\r\nHost: h\r\n\r\n",
    "GET / HTTP/1.x\r\nHost: h\r\n\r\n",
    "GET / http/1.1\r\nHost: h\r\n\r\n",
    "GET / HTTP/1.10\r\nHost: h\r\n\r\n",
    "GET relative HTTP/1.1\r\nHost: h\r\n\r\n",
    "GET /a#frag HTTP/1.1\r\nHost: h\r\n\r\n",
    "GET /\u{7f} HTTP/1.1\r\nHost: h\r\n\r\n",
    "GET /é HTTP/1.1\r\nHost: h\r\n\r\n",
    "CONNECT example.test:443 HTTP/1.1\r\nHost: h\r\n\r\n",
])
func badRequestLineIs400(text: String) {
    #expect(parse(text).error?.status == 400)
}

@Test(arguments: [
    "GET / HTTP/1.1\r\nHost: h\r\nNo-Colon\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nSpace Name: v\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nName : v\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\n: empty name\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nX: nul\u{0}inside\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nX: bare\rCR\r\n\r\n",
])
func badHeaderLineIs400(text: String) {
    #expect(parse(text).error?.status == 400)
}

@Test(arguments: [
    "GET / HTTP/1.1\nHost: h\n\n",
    "GET / HTTP/1.1\r\nHost: h\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\n\n",
])
func bareLineFeedIs400(text: String) {
    #expect(parse(text).error?.status == 400)
}

@Test func obsoleteLineFoldingIs400() {
    #expect(parse("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n  continued\r\n\r\n").error?.status == 400)
    #expect(parse("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n\tcontinued\r\n\r\n").error?.status == 400)
}

@Test(arguments: ["abc", "-1", "+5", "1.0", "5, 5", "0x10", ""])
func badContentLengthIs400(value: String) {
    #expect(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \(value)\r\n\r\n").error?.status == 400)
}

@Test func repeatedContentLengthIs400() {
    #expect(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx").error?.status == 400)
}

@Test func contentLengthWithTransferEncodingIs400() {
    let text = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    #expect(parse(text).error?.status == 400)
}

@Test(arguments: [
    ("gzip", 400), ("chunked, gzip", 400), ("chunked, chunked", 400), (",", 400),
    ("gzip, chunked", 501), ("deflate,chunked", 501),
] as [(String, Int)])
func transferEncodingOtherThanChunkedIsRefused(codings: String, status: Int) {
    let text = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: \(codings)\r\n\r\n0\r\n\r\n"
    #expect(parse(text).error?.status == status)
}

@Test func transferEncodingInHTTP10Is400() {
    #expect(parse("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").error?.status == 400)
}

@Test(arguments: ["Z\r\n", "\r\n", "-1\r\n", "5 x\r\nhello\r\n", "5\r\nhelloXY", "1;bad\u{1}ext\r\nx\r\n"])
func badChunkIs400(chunk: String) {
    let text = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk
    #expect(parse(text).error?.status == 400)
}

@Test func badTrailerLineIs400() {
    let text = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n"
    #expect(parse(text).error?.status == 400)
}

@Test func missingHostInHTTP11Is400() {
    #expect(parse("GET / HTTP/1.1\r\n\r\n").error?.status == 400)
}

@Test func twoHostHeadersAre400() {
    #expect(parse(getRequest(headers: ["Host: other"])).error?.status == 400)
}

@Test func otherMajorVersionIs505() {
    #expect(parse("GET / HTTP/2.0\r\nHost: h\r\n\r\n").error?.status == 505)
}
