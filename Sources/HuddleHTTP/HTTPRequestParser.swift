/// An incremental HTTP/1.1 request parser: append bytes as they arrive, ask
/// for the next complete request. Any split of the same bytes gives the same
/// requests and the same error, because every check looks only at bytes
/// already received and runs in byte order (a line's length is checked while
/// it is still arriving, its contents once its CRLF is in).
///
/// Choices where RFC 9112 leaves room:
/// - Lines must end in CRLF; a bare LF or a bare CR is 400 (a lenient
///   reading of bare LF is what request-smuggling attacks exploit).
/// - Blank lines before a request line are skipped (§2.2: clients may send
///   an extra CRLF after a body).
/// - Obsolete line folding, whitespace before a field's colon, control
///   characters in a value, a missing Host in HTTP/1.1, or more than one
///   Host are 400.
/// - Content-Length must be one field of digits. Transfer-Encoding must end
///   in `chunked`, once; other codings are 501; with Content-Length, or in
///   HTTP/1.0, it is 400.
/// - Field values are decoded as UTF-8, invalid bytes (obs-text) becoming
///   U+FFFD; names are ASCII tokens.
/// - A body is not reserved up front from Content-Length, so a short
///   request that announces 1 MiB costs only what actually arrives.
/// - Chunk extensions are checked for control characters and ignored;
///   trailer fields are checked like header fields, counted against the
///   header limits, and dropped.
///
/// After an error, every later call throws the same error: the caller
/// answers with its status and closes.
public struct HTTPRequestParser: Sendable {
    private enum Stage: Sendable {
        case requestLine
        case headerLine
        case fixedBody(remaining: Int)
        case chunkSizeLine
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailerLine
    }

    /// What is known so far of the request being read.
    private struct PendingRequest: Sendable {
        var method = ""
        var target = ""
        var versionMinor = 1
        var headers = HTTPHeaders()
        var body: [UInt8] = []
        /// Header section (and trailer) bytes so far, CRLFs included.
        var headerBytes = 0
        /// Field lines so far, trailers included.
        var fieldCount = 0
    }

    private let limits: HTTPLimits
    private var buffer: [UInt8] = []
    /// The first byte of the request being read; what `takeBufferedBytes` returns from.
    private var requestStart = 0
    /// The first byte not yet consumed by the stage machine.
    private var position = 0
    /// Where the search for the current line's LF resumes, so a line that
    /// arrives a byte at a time is scanned once, not once per byte.
    private var lineSearchStart = 0
    private var stage = Stage.requestLine
    private var pending = PendingRequest()
    private var failure: HTTPParseError?

    public init(limits: HTTPLimits = .default) {
        self.limits = limits
    }

    /// Whether part of a request has arrived but not all of it (for an idle
    /// timeout that should answer 408 rather than close silently).
    public var hasPartialRequest: Bool { buffer.count > requestStart }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The next complete request, or nil when more bytes are needed.
    public mutating func nextRequest() throws(HTTPParseError) -> HTTPRequest? {
        if let failure { throw failure }
        do throws(HTTPParseError) {
            return try advance()
        } catch {
            failure = error
            throw error
        }
    }

    /// Bytes received after the last returned request, including any part of
    /// a next request already read, and the parser starts over empty. After a
    /// request that is upgraded, stop calling `nextRequest` and take these:
    /// they are the first bytes of the new protocol.
    public mutating func takeBufferedBytes() -> [UInt8] {
        let rest = Array(buffer[requestStart...])
        buffer = []
        requestStart = 0
        position = 0
        lineSearchStart = 0
        stage = .requestLine
        pending = PendingRequest()
        return rest
    }

    /// Drops the bytes of requests already returned, so the buffer holds at
    /// most one request plus what arrived with it.
    private mutating func compact() {
        guard requestStart > 0 else { return }
        buffer.removeSubrange(..<requestStart)
        lineSearchStart = max(lineSearchStart, position) - requestStart
        position -= requestStart
        requestStart = 0
    }

    // MARK: Stages

    private mutating func advance() throws(HTTPParseError) -> HTTPRequest? {
        while true {
            switch stage {
            case .requestLine:
                guard let line = try readLine(limit: limits.maxRequestLine, tooLong: .requestLineTooLong) else { return nil }
                if line.isEmpty {
                    requestStart = position
                    continue
                }
                try parseRequestLine(line)
                stage = .headerLine

            case .headerLine:
                guard let line = try readFieldLine(section: "header section") else { return nil }
                if line.isEmpty {
                    try beginBody()
                } else {
                    let (name, value) = try parseFieldLine(line)
                    pending.headers.add(name, value)
                }

            case .fixedBody(let remaining):
                let available = min(remaining, buffer.count - position)
                pending.body.append(contentsOf: buffer[position..<(position + available)])
                position += available
                guard available == remaining else {
                    stage = .fixedBody(remaining: remaining - available)
                    return nil
                }
                return completeRequest()

            case .chunkSizeLine:
                guard let line = try readLine(limit: limits.maxChunkLine, tooLong: .badRequest("chunk size line too long")) else {
                    return nil
                }
                let size = try parseChunkSize(line)
                stage = size == 0 ? .trailerLine : .chunkData(remaining: size)

            case .chunkData(let remaining):
                let available = min(remaining, buffer.count - position)
                pending.body.append(contentsOf: buffer[position..<(position + available)])
                position += available
                guard available == remaining else {
                    stage = .chunkData(remaining: remaining - available)
                    return nil
                }
                stage = .chunkDataEnd

            case .chunkDataEnd:
                guard buffer.count - position >= HTTPSyntax.crlf.count else { return nil }
                guard buffer[position..<(position + HTTPSyntax.crlf.count)].elementsEqual(HTTPSyntax.crlf) else {
                    throw .badRequest("chunk data not followed by CRLF")
                }
                position += HTTPSyntax.crlf.count
                stage = .chunkSizeLine

            case .trailerLine:
                guard let line = try readFieldLine(section: "trailer section") else { return nil }
                if line.isEmpty { return completeRequest() }
                _ = try parseFieldLine(line)
            }
        }
    }

    /// The content of the next CRLF-terminated line, without the CRLF, and
    /// consumes it; nil when its end has not arrived. Throws `tooLong` as soon
    /// as the line's content is longer than `limit`, complete or not.
    private mutating func readLine(limit: Int, tooLong: HTTPParseError) throws(HTTPParseError) -> ArraySlice<UInt8>? {
        // A body may have moved `position` past an older search start.
        guard let lineFeed = buffer[max(lineSearchStart, position)...].firstIndex(of: HTTPSyntax.lf) else {
            lineSearchStart = buffer.count
            // A trailing CR may be the first half of the CRLF, not content.
            let received = buffer.count - position - (buffer.last == HTTPSyntax.cr && buffer.count > position ? 1 : 0)
            if received > limit { throw tooLong }
            return nil
        }
        let endsInCRLF = lineFeed > position && buffer[lineFeed - 1] == HTTPSyntax.cr
        let contentEnd = endsInCRLF ? lineFeed - 1 : lineFeed
        if contentEnd - position > limit { throw tooLong }
        guard endsInCRLF else { throw .badRequest("line ends in a bare LF; lines must end in CRLF") }
        let line = buffer[position..<contentEnd]
        position = lineFeed + 1
        lineSearchStart = position
        if line.contains(HTTPSyntax.cr) { throw .badRequest("bare CR inside a line") }
        return line
    }

    /// A header or trailer line, charged to the header limits.
    private mutating func readFieldLine(section: String) throws(HTTPParseError) -> ArraySlice<UInt8>? {
        let tooLarge = HTTPParseError.headersTooLarge("\(section) larger than \(limits.maxHeaderBytes) bytes")
        let budget = limits.maxHeaderBytes - pending.headerBytes - HTTPSyntax.crlf.count
        guard let line = try readLine(limit: budget, tooLong: tooLarge) else { return nil }
        pending.headerBytes += line.count + HTTPSyntax.crlf.count
        if !line.isEmpty {
            pending.fieldCount += 1
            if pending.fieldCount > limits.maxHeaderCount {
                throw .headersTooLarge("more than \(limits.maxHeaderCount) header fields")
            }
        }
        return line
    }

    private mutating func completeRequest() -> HTTPRequest {
        let request = HTTPRequest(
            method: pending.method, target: pending.target, versionMinor: pending.versionMinor,
            headers: pending.headers, body: pending.body)
        pending = PendingRequest()
        stage = .requestLine
        requestStart = position
        return request
    }

    // MARK: Lines

    private static let versionPrefix = Array("HTTP/".utf8)
    private static let versionLength = versionPrefix.count + 3

    /// `method SP request-target SP HTTP-version`, exactly one space each.
    private mutating func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) {
        let parts = line.split(separator: HTTPSyntax.space, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .badRequest("request line is not 'METHOD target HTTP/1.1'") }
        let (method, target, version) = (parts[0], parts[1], parts[2])
        guard HTTPSyntax.isToken(method) else { throw .badRequest("method is not a token") }
        guard !target.isEmpty, target.allSatisfy(HTTPSyntax.isVisible) else {
            throw .badRequest("request target is empty or has characters outside visible ASCII")
        }
        guard !target.contains(HTTPSyntax.hash) else { throw .badRequest("request target has a fragment") }
        guard version.count == Self.versionLength, version.starts(with: Self.versionPrefix),
              version[version.startIndex + 6] == UInt8(ascii: "."),
              let major = HTTPSyntax.decimalDigit(version[version.startIndex + 5]),
              let minor = HTTPSyntax.decimalDigit(version[version.startIndex + 7]) else {
            throw .badRequest("HTTP version is not 'HTTP/<digit>.<digit>'")
        }
        guard major == 1 else { throw .versionNotSupported }
        pending.method = String(decoding: method, as: UTF8.self)
        pending.target = String(decoding: target, as: UTF8.self)
        pending.versionMinor = Int(minor)
        guard RequestTarget.split(pending.target, method: pending.method) != nil else {
            throw .badRequest("request target is not a path, an http(s) URL, or '*' for OPTIONS")
        }
    }

    /// `field-name ":" OWS field-value OWS`.
    private func parseFieldLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (String, String) {
        guard let first = line.first, !HTTPSyntax.isWhitespace(first) else {
            throw .badRequest("obsolete line folding (a field line starting with whitespace)")
        }
        guard let colon = line.firstIndex(of: HTTPSyntax.colon) else { throw .badRequest("header line without ':'") }
        let name = line[..<colon]
        guard HTTPSyntax.isToken(name) else {
            throw .badRequest("header name is not a token (no whitespace before ':')")
        }
        let value = HTTPSyntax.trimmingWhitespace(line[(colon + 1)...])
        guard value.allSatisfy(HTTPSyntax.isFieldValueByte) else {
            throw .badRequest("control character in the value of \(String(decoding: name, as: UTF8.self))")
        }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    /// `1*HEXDIG [ chunk-ext ]`; the size, checked against the body limit.
    private func parseChunkSize(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        let digitsEnd = line.firstIndex { HTTPSyntax.hexValue($0) == nil } ?? line.endIndex
        guard digitsEnd > line.startIndex else { throw .badRequest("chunk size is not hexadecimal") }
        let extensions = line[digitsEnd...].drop(while: HTTPSyntax.isWhitespace)
        guard extensions.isEmpty || (extensions.first == HTTPSyntax.semicolon && extensions.allSatisfy(HTTPSyntax.isFieldValueByte)) else {
            throw .badRequest("malformed chunk size line")
        }
        let allowed = limits.maxBodyBytes - pending.body.count
        var size = 0
        for digit in line[..<digitsEnd] {
            size = size * 16 + Int(HTTPSyntax.hexValue(digit)!)
            if size > allowed { throw .contentTooLarge("chunked body larger than \(limits.maxBodyBytes) bytes") }
        }
        return size
    }

    // MARK: Framing

    /// Decides how the body is delimited (RFC 9112 §6.3) once the header
    /// section is complete, and checks what must hold of the whole head.
    private mutating func beginBody() throws(HTTPParseError) {
        let headers = pending.headers
        let hosts = headers.values("Host").count
        if hosts > 1 { throw .badRequest("more than one Host header") }
        if hosts == 0 && pending.versionMinor >= 1 { throw .badRequest("HTTP/1.1 request without a Host header") }

        let contentLengths = headers.values("Content-Length")
        if headers.contains("Transfer-Encoding") {
            guard contentLengths.isEmpty else { throw .badRequest("both Content-Length and Transfer-Encoding") }
            guard pending.versionMinor >= 1 else { throw .badRequest("Transfer-Encoding in an HTTP/1.0 request") }
            let codings = headers.tokens("Transfer-Encoding")
            let isChunked = { (coding: String) in HTTPSyntax.equalsIgnoringCase(coding, "chunked") }
            guard let last = codings.last, isChunked(last) else {
                throw .badRequest("Transfer-Encoding does not end in chunked")
            }
            guard !codings.dropLast().contains(where: isChunked) else { throw .badRequest("chunked applied more than once") }
            guard codings.count == 1 else { throw .notImplemented("transfer codings other than chunked are not supported") }
            stage = .chunkSizeLine
            return
        }
        guard let contentLength = contentLengths.first else {
            stage = .fixedBody(remaining: 0)
            return
        }
        guard contentLengths.count == 1, !contentLength.isEmpty,
              contentLength.utf8.allSatisfy({ HTTPSyntax.decimalDigit($0) != nil }) else {
            throw .badRequest("Content-Length is not one decimal number")
        }
        // Digits only, so a failed conversion means too many of them.
        guard let length = Int(contentLength), length <= limits.maxBodyBytes else {
            throw .contentTooLarge("body larger than \(limits.maxBodyBytes) bytes")
        }
        stage = .fixedBody(remaining: length)
    }
}
