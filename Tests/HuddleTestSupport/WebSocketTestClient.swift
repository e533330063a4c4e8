import Foundation
import HuddleJSON
import HuddleWebSocket

/// A blocking WebSocket client for end-to-end tests, over a plain TCP socket
/// to 127.0.0.1. It masks what it sends, as a browser does, and validates what
/// it receives with the same `MessageReader` the server uses (client role).
///
/// Nothing runs in the background: pings are answered (when `autoPong` is
/// true) as the test reads them, so a test that stops reading stops ponging.
public final class WebSocketTestClient {
    /// A message as received, copied out of the read buffer.
    public enum Received: Equatable, CustomStringConvertible {
        case text(String)
        case binary([UInt8])
        case ping([UInt8])
        case pong([UInt8])
        case close(code: UInt16?, reason: String)

        init(_ message: WebSocketMessage) {
            switch message {
            case .text(let bytes): self = .text(String(decoding: bytes, as: UTF8.self))
            case .binary(let bytes): self = .binary(Array(bytes))
            case .ping(let bytes): self = .ping(Array(bytes))
            case .pong(let bytes): self = .pong(Array(bytes))
            case .close(let code, let reason): self = .close(code: code, reason: reason)
            }
        }

        public var description: String {
            switch self {
            case .text(let text): return "text \(text)"
            case .binary(let bytes): return "binary (\(bytes.count) bytes)"
            case .ping(let bytes): return "ping (\(bytes.count) bytes)"
            case .pong(let bytes): return "pong (\(bytes.count) bytes)"
            case .close(let code, let reason): return "close \(code.map(String.init) ?? "without code") \(reason.debugDescription)"
            }
        }
    }

    /// Answer each ping with a pong carrying its payload when `receive` returns it.
    public var autoPong = true
    /// The headers of the 101 response.
    public let responseHeaders: [(String, String)]
    /// The JSON messages `waitFor` passed over, oldest first, so a test can
    /// still assert on them. `receive` never returns them again.
    public private(set) var skipped: [JSONValue] = []

    /// Large enough for any message a Huddle server may send in a test.
    private static let maxMessageBytes = 64 << 20
    private static let readBufferSize = 65536

    private let socket: TestSocket
    private var reader = MessageReader(role: .client, maxMessageBytes: maxMessageBytes)
    private var inbox: [Received] = []
    private var readBuffer = [UInt8](repeating: 0, count: readBufferSize)
    private var sentClose = false

    private init(socket: TestSocket, responseHeaders: [(String, String)]) {
        self.socket = socket
        self.responseHeaders = responseHeaders
    }

    // MARK: Connecting

    /// Opens a WebSocket to `path` (which may carry a query) on 127.0.0.1:`port`,
    /// offering `huddle.v1`. A header in `headers` replaces the default of the
    /// same name (e.g. `Sec-WebSocket-Protocol` to offer something else).
    /// Throws `HTTPRejected` for any answer but 101, and
    /// `TestClientError.unexpected` if the 101 carries a wrong accept value.
    public static func connect(port: Int, path: String, headers: [(String, String)] = [],
                               timeout: Double = 10) throws -> WebSocketTestClient {
        let deadline = ContinuousClock.Instant.after(seconds: timeout)
        let socket = try TestSocket.open(port: port)
        let defaults = [
            ("Host", "127.0.0.1:\(port)"), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()),
            ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Protocol", WebSocketHandshake.subprotocol),
        ]
        let requestHeaders = HTTPTestClient.merged(defaults, with: headers)
        try socket.write(HTTPTestClient.requestHead(method: "GET", path: path, headers: requestHeaders))

        var response = HTTPResponseReader(socket: socket, deadline: deadline)
        let (status, responseHeaders) = try response.readHead()
        func header(_ name: String, in list: [(String, String)]) -> String? {
            list.first { $0.0.lowercased() == name.lowercased() }?.1
        }
        guard status == 101 else {
            let body = try response.readBody(status: status, headers: responseHeaders, method: "GET")
            throw HTTPRejected(status: status, headers: responseHeaders, body: body)
        }
        let key = header("Sec-WebSocket-Key", in: requestHeaders) ?? ""
        let expected = WebSocketHandshake.acceptValue(forKey: key)
        guard header("Sec-WebSocket-Accept", in: responseHeaders) == expected else {
            throw TestClientError.unexpected("Sec-WebSocket-Accept is \(header("Sec-WebSocket-Accept", in: responseHeaders) ?? "missing"), expected \(expected)")
        }
        let client = WebSocketTestClient(socket: socket, responseHeaders: responseHeaders)
        // Frames the server sent right behind the 101 (e.g. welcome) came in the same read.
        try client.feed(response.buffered)
        return client
    }

    /// The subprotocol the server selected, if any.
    public var subprotocol: String? {
        responseHeaders.first { $0.0.lowercased() == "sec-websocket-protocol" }?.1
    }

    // MARK: Sending

    public func send(text: String) throws {
        try sendFrame(.text, Array(text.utf8))
    }

    public func send(json: JSONValue) throws {
        try sendFrame(.text, json.encoded())
    }

    /// Sends bytes as they are: for frames a well-behaved client never sends.
    public func sendRaw(_ bytes: [UInt8]) throws {
        try socket.write(bytes)
    }

    /// Sends one masked frame; `fin: false` starts or continues a fragmented message.
    public func sendFrame(_ opcode: Opcode, _ payload: [UInt8], fin: Bool = true) throws {
        if opcode == .close { sentClose = true }
        try socket.write(FrameEncoder.frame(opcode, payload: payload, maskKey: UInt32.random(in: 0...UInt32.max), fin: fin))
    }

    // MARK: Receiving

    /// The next message of any kind. Throws `TestClientError.timedOut` after
    /// `timeout` seconds, `connectionClosed` if the server drops the connection,
    /// and `WebSocketProtocolError` if the server breaks RFC 6455.
    public func receive(timeout: Double = 10) throws -> Received {
        guard let message = try nextMessage(before: .after(seconds: timeout), waitingFor: "a WebSocket message") else {
            throw TestClientError.timedOut(waitingFor: "a WebSocket message")
        }
        return message
    }

    /// The next message if one arrives within `timeout` seconds, else nil:
    /// for asserting that nothing (more) is sent.
    public func receiveIfAny(timeout: Double) throws -> Received? {
        try nextMessage(before: .after(seconds: timeout), waitingFor: "a WebSocket message")
    }

    /// The next text message, parsed as JSON; pings and pongs are passed over.
    /// A binary or close frame throws `TestClientError.unexpected`.
    public func receiveJSON(timeout: Double = 10) throws -> JSONValue {
        try nextJSON(before: .after(seconds: timeout), waitingFor: "a JSON message")
    }

    /// The next JSON message whose `type` is `type` and that satisfies
    /// `predicate`. Messages passed over go to `skipped`; they are not
    /// returned by later receives.
    public func waitFor(type: String, timeout: Double = 10,
                        where predicate: (JSONValue) -> Bool = { _ in true }) throws -> JSONValue {
        let deadline = ContinuousClock.Instant.after(seconds: timeout)
        let skippedBefore = skipped.count
        while true {
            let what = "a \"\(type)\" message (passed over: \(skipped[skippedBefore...].map { $0["type"]?.stringValue ?? $0.jsonString }))"
            let message = try nextJSON(before: deadline, waitingFor: what)
            if message["type"]?.stringValue == type && predicate(message) { return message }
            skipped.append(message)
        }
    }

    /// Reads until the server's close frame (passing over other messages),
    /// answers it as RFC 6455 requires, drops the connection, and returns the
    /// close code (nil for a close frame without one). Throws
    /// `connectionClosed` if the TCP connection ends without a close frame.
    public func expectClose(timeout: Double = 10) throws -> UInt16? {
        let deadline = ContinuousClock.Instant.after(seconds: timeout)
        while true {
            guard let message = try nextMessage(before: deadline, waitingFor: "a close frame") else {
                throw TestClientError.timedOut(waitingFor: "a close frame")
            }
            guard case .close(let code, _) = message else { continue }
            if !sentClose {
                try? sendFrame(.close, code.map { FrameEncoder.closePayload(CloseCode(rawValue: $0)) } ?? [])
            }
            socket.disconnect()
            return code
        }
    }

    // MARK: Closing

    /// Starts the closing handshake with `code`, waits (10 s at most) for the
    /// server's close frame or the end of the connection, then disconnects.
    public func close(code: UInt16 = 1000) throws {
        guard socket.isOpen else { return }
        try sendFrame(.close, FrameEncoder.closePayload(CloseCode(rawValue: code)))
        defer { socket.disconnect() }
        let deadline = ContinuousClock.Instant.after(seconds: 10)
        do {
            while let message = try nextMessage(before: deadline, waitingFor: "the server's close frame") {
                if case .close = message { return }
            }
            throw TestClientError.timedOut(waitingFor: "the server's close frame")
        } catch TestClientError.connectionClosed {
            return
        }
    }

    /// Drops the TCP connection without a close frame, as a crashed tab would.
    public func abort() {
        socket.disconnect()
    }

    // MARK: Reading frames

    /// The next message before `deadline`, or nil when it passes.
    private func nextMessage(before deadline: ContinuousClock.Instant, waitingFor what: String) throws -> Received? {
        while inbox.isEmpty {
            guard socket.isOpen else { throw TestClientError.connectionClosed(while: "waiting for \(what)") }
            guard let count = try socket.read(into: &readBuffer, deadline: deadline) else { return nil }
            if count == 0 {
                socket.disconnect()
                throw TestClientError.connectionClosed(while: "waiting for \(what)")
            }
            try feed(readBuffer[..<count])
        }
        let message = inbox.removeFirst()
        if autoPong, case .ping(let payload) = message, !sentClose {
            try sendFrame(.pong, payload)
        }
        return message
    }

    private func nextJSON(before deadline: ContinuousClock.Instant, waitingFor what: String) throws -> JSONValue {
        while true {
            guard let message = try nextMessage(before: deadline, waitingFor: what) else {
                throw TestClientError.timedOut(waitingFor: what)
            }
            switch message {
            case .text(let text): return try JSONParser.parse(text)
            case .ping, .pong: continue
            case .binary, .close: throw TestClientError.unexpected("\(message) while waiting for \(what)")
            }
        }
    }

    private func feed<Bytes: Collection>(_ bytes: Bytes) throws where Bytes.Element == UInt8 {
        var chunk = Array(bytes)
        try chunk.withUnsafeMutableBytes { buffer in
            try reader.read(buffer) { inbox.append(Received($0)) }
        }
    }
}
