/// Reads one HTTP/1.1 response from a `TestSocket`: the head, then a body
/// framed by Content-Length, chunked encoding, or the end of the stream.
struct HTTPResponseReader {
    private let socket: TestSocket
    private let deadline: ContinuousClock.Instant
    /// Bytes read from the socket and not consumed yet.
    private(set) var buffered: [UInt8] = []
    private var readBuffer = [UInt8](repeating: 0, count: 16384)

    private static let crlf: [UInt8] = [13, 10]
    private static let headTerminator: [UInt8] = [13, 10, 13, 10]

    init(socket: TestSocket, deadline: ContinuousClock.Instant, buffered: [UInt8] = []) {
        self.socket = socket
        self.deadline = deadline
        self.buffered = buffered
    }

    mutating func readHead() throws -> (status: Int, headers: [(String, String)]) {
        let headEnd = try fill(until: Self.headTerminator, what: "the HTTP response head")
        let head = String(decoding: buffered[..<headEnd], as: UTF8.self)
        buffered.removeFirst(headEnd + Self.headTerminator.count)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw TestClientError.unexpected("malformed status line \(statusLine.debugDescription)")
        }
        let headers = try lines.map { line -> (String, String) in
            guard let colon = line.firstIndex(of: ":") else {
                throw TestClientError.unexpected("malformed header line \(line.debugDescription)")
            }
            let value = line[line.index(after: colon)...].trimmingSpaces
            return (String(line[..<colon]), value)
        }
        return (status, headers)
    }

    /// The body of a response with `status` and `headers` to a `method` request.
    mutating func readBody(status: Int, headers: [(String, String)], method: String) throws -> [UInt8] {
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name }?.1 }
        if method == "HEAD" || status == 204 || status == 304 || (100..<200).contains(status) { return [] }
        if header("transfer-encoding")?.lowercased().contains("chunked") == true {
            return try readChunkedBody()
        }
        if let lengthText = header("content-length") {
            guard let length = Int(lengthText), length >= 0 else {
                throw TestClientError.unexpected("bad Content-Length \(lengthText.debugDescription)")
            }
            return try take(length, what: "a \(length)-byte response body")
        }
        while try fillOnce(what: "the response body, up to the end of the stream") { }
        defer { buffered.removeAll() }
        return buffered
    }

    private mutating func readChunkedBody() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = try takeLine(what: "a chunk size")
            let sizeText = sizeLine.split(separator: ";").first.map(String.init)?.trimmingSpaces ?? ""
            guard let size = Int(sizeText, radix: 16) else {
                throw TestClientError.unexpected("bad chunk size line \(sizeLine.debugDescription)")
            }
            if size == 0 { break }
            body += try take(size, what: "a \(size)-byte chunk")
            _ = try takeLine(what: "the CRLF after a chunk")
        }
        while try !takeLine(what: "the chunked trailer").isEmpty { }
        return body
    }

    private mutating func takeLine(what: String) throws -> String {
        let end = try fill(until: Self.crlf, what: what)
        let line = String(decoding: buffered[..<end], as: UTF8.self)
        buffered.removeFirst(end + Self.crlf.count)
        return line
    }

    private mutating func take(_ count: Int, what: String) throws -> [UInt8] {
        while buffered.count < count {
            guard try fillOnce(what: what) else { throw TestClientError.connectionClosed(while: "reading \(what)") }
        }
        defer { buffered.removeFirst(count) }
        return Array(buffered[..<count])
    }

    /// Reads until `marker` is buffered; returns its offset.
    private mutating func fill(until marker: [UInt8], what: String) throws -> Int {
        while true {
            if let offset = Self.firstOffset(of: marker, in: buffered) { return offset }
            guard try fillOnce(what: what) else { throw TestClientError.connectionClosed(while: "reading \(what)") }
        }
    }

    /// One read into `buffered`; false at the end of the stream.
    private mutating func fillOnce(what: String) throws -> Bool {
        guard let count = try socket.read(into: &readBuffer, deadline: deadline) else {
            throw TestClientError.timedOut(waitingFor: what)
        }
        buffered += readBuffer[..<count]
        return count > 0
    }

    private static func firstOffset(of marker: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= marker.count else { return nil }
        return (0...(bytes.count - marker.count)).first { start in
            bytes[start..<(start + marker.count)].elementsEqual(marker)
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs, as HTTP trims header values.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
