import HuddleCore
import HuddleHTTP
import HuddleJSON
import HuddleLoop
import HuddleWebSocket

/// One TCP connection: HTTP/1.1 requests until an upgrade, then a WebSocket
/// (a Huddle session or the diagnostics echo). Its session ends exactly once,
/// whichever comes first of close frame, EOF, error, timeout or kick.
final class Connection {
    enum Phase { case http, huddle, echo, closing }

    // Word-sized fields first and the byte-sized ones together at the end, so
    // that the padding between them does not grow every connection.
    let tcp: TCPConnection
    unowned let server: HuddleServer
    /// Boxed so that the upgrade frees it: the parser is about half of a
    /// Connection's size, and most connections become WebSockets.
    private(set) var http: HTTPSide?
    private(set) var session: Session?
    private(set) var lastHeardMs: UInt64
    /// After our close frame: closes the socket if the peer never answers it.
    private var closeHandshakeTimer: LoopTimer?
    /// RFC 6455 §7.1.1: the server closes TCP once the peer's close arrives; this bounds the wait.
    static let closeHandshakeTimeoutMs: UInt64 = 2000
    var heldDuringReplay: [HeldMessage] = []
    private var reader: MessageReader?
    private(set) var phase = Phase.http
    /// An HTTP answer is being computed off the loop (store); later pipelined
    /// requests wait so responses keep their order.
    var awaitingResponse = false
    /// Counted in `webSocketCount` (`limits.max_connections`) until closed.
    private var countsAsSession = false
    /// The core still counts this connection's session as connected.
    private var sessionLive = false
    var replaysInFlight: Int32 = 0
    /// Plugin requests sent to the store and not answered yet (`limits.max_pending_requests`).
    var pluginRequestsPending: Int32 = 0

    init(tcp: TCPConnection, server: HuddleServer) {
        self.tcp = tcp
        self.server = server
        lastHeardMs = server.loop.nowMs
        http = HTTPSide(loop: server.loop, acceptOrder: server.metrics.connectionsAccepted)
        // Strong on purpose: a closure whose only capture is one object needs
        // no context allocation (two per connection with `unowned`), and the
        // TCPConnection drops both closures when it closes, ending the cycle.
        tcp.onRead = { bytes in self.received(bytes) }
        tcp.onClose = { _ in self.closed() }
        startHTTPDeadline()
    }

    var isWebSocket: Bool { phase == .huddle || phase == .echo }

    // MARK: Reading

    private func received(_ bytes: UnsafeMutableRawBufferPointer) {
        lastHeardMs = server.loop.nowMs
        switch phase {
        case .http:
            http?.parser.append(UnsafeRawBufferPointer(bytes))
            processRequests()
        case .huddle, .echo:
            readFrames(bytes)
        case .closing:
            // Waiting for the peer's close frame after ours; everything else is dropped.
            if closeHandshakeTimer != nil { readFrames(bytes) }
        }
    }

    /// Handles every complete buffered request, in order.
    func processRequests() {
        defer { rearmHTTPDeadline() }
        while phase == .http && !awaitingResponse {
            let request: HTTPRequest
            do {
                guard let next = try http?.parser.nextRequest() else { return }
                request = next
            } catch {
                respondWithError(status: error.status)
                return
            }
            http?.requestTaken()
            server.metrics.httpRequests += 1
            server.handle(request, on: self)
        }
    }

    /// Answers `{"error":"<code>"}` with `status` and closes.
    func respondWithError(status: Int) {
        let code = HTTPErrorCodes.code(forStatus: status)
        respond(HTTPResponse.json(status, JSONValue.object(["error": .string(code)]).encoded()),
                includeBody: true, keepAlive: false)
    }

    func respond(_ response: HTTPResponse, to request: HTTPRequest) {
        respond(response, includeBody: request.method != "HEAD", keepAlive: request.keepAlive)
    }

    private func respond(_ response: HTTPResponse, includeBody: Bool, keepAlive: Bool) {
        guard phase == .http else { return }
        tcp.write(response.serialized(includeBody: includeBody, keepAlive: keepAlive))
        if !keepAlive {
            phase = .closing
            // The client may still be sending (a refused body): lingering keeps
            // a reset from overtaking the answer.
            tcp.closeLingering(timeoutMs: Self.closeHandshakeTimeoutMs)
        }
    }

    /// Ends an HTTP connection that is owed no answer: idle, or evicted to
    /// make room (`limits.max_http_connections`).
    func dropHTTPConnection() {
        phase = .closing
        tcp.close()
    }

    /// Finishes an answer that was computed off the loop, then reads on.
    func respondLater(_ response: HTTPResponse, to request: HTTPRequest) {
        awaitingResponse = false
        respond(response, to: request)
        processRequests()
    }

    // MARK: Upgrade

    /// Switches to WebSocket framing after the 101 was written; bytes that
    /// arrived behind the request are already frames.
    func upgrade(to phase: Phase, response: HTTPResponse) {
        tcp.write(response.serialized(includeBody: false, keepAlive: true))
        self.phase = phase
        http?.timer.close()
        server.httpConnectionEnded(self)
        reader = MessageReader(role: .server, maxMessageBytes: server.config.limits.maxMessageBytes)
        if phase == .huddle {
            countsAsSession = true
            server.webSocketCount += 1
        }
    }

    func attach(_ session: Session) {
        self.session = session
        sessionLive = true
    }

    func readBufferedFrames() {
        guard var leftover = http?.parser.takeBufferedBytes() else { return }
        http = nil
        guard !leftover.isEmpty else { return }
        leftover.withUnsafeMutableBytes { readFrames($0) }
    }

    private func readFrames(_ bytes: UnsafeMutableRawBufferPointer) {
        guard reader != nil else { return }
        do {
            try reader!.read(bytes) { message in self.handle(message) }
        } catch {
            if phase == .closing {
                // Our close frame is already out; only the peer's close was awaited.
                tcp.closeLingering(timeoutMs: Self.closeHandshakeTimeoutMs)
            } else {
                server.metrics.protocolErrors += 1
                failWebSocket(code: error.closeCode, reason: error.reason)
            }
        }
    }

    private func handle(_ message: WebSocketMessage) {
        if phase == .closing, case .close = message {
            tcp.closeAfterFlush()
            return
        }
        guard phase == .huddle || phase == .echo else { return }
        switch message {
        case .text(let payload):
            if phase == .echo {
                tcp.write(FrameEncoder.frame(.text, payload: payload))
            } else if let session, sessionLive {
                server.metrics.messagesIn += 1
                server.apply(server.hub.receive(payload, from: session, now: server.now()))
            }
        case .binary(let payload):
            if phase == .echo {
                tcp.write(FrameEncoder.frame(.binary, payload: payload))
            } else {
                failWebSocket(code: .unsupportedData, reason: "binary messages are not supported")
            }
        case .ping(let payload):
            tcp.write(FrameEncoder.frame(.pong, payload: payload))
        case .pong:
            break
        case .close(let code, _):
            // Echo the peer's code (RFC 6455 §5.5.1), then end our side.
            let reply = code.map { CloseCode(rawValue: $0) } ?? CloseCode.normal
            tcp.write(FrameEncoder.frame(.close, payload: code == nil ? [] : FrameEncoder.closePayload(reply)))
            phase = .closing
            endSession(.closed)
            tcp.closeAfterFlush()
        }
    }

    // MARK: Ending

    /// Sends a close frame, then waits (bounded) for the peer's close before
    /// closing TCP. `sessionEnded`: the core already ended the session (leave,
    /// kick), so nothing more is owed it.
    func closeWebSocket(code: UInt16, reason: String, sessionEnded: Bool) {
        guard sendClose(code: code, reason: reason, sessionEnded: sessionEnded) else { return }
        let timer = LoopTimer(loop: server.loop)
        timer.start(afterMs: Self.closeHandshakeTimeoutMs) { [unowned self] in self.tcp.close() }
        closeHandshakeTimer = timer
    }

    /// The peer broke the protocol (1002, 1003, 1007, 1009): its later bytes
    /// cannot be trusted to be frames, so they are read and discarded until it
    /// closes (a lingering close), which keeps a reset from destroying the
    /// close frame before the peer reads it.
    private func failWebSocket(code: CloseCode, reason: String) {
        guard sendClose(code: code.rawValue, reason: reason, sessionEnded: false) else { return }
        tcp.closeLingering(timeoutMs: Self.closeHandshakeTimeoutMs)
    }

    /// Writes the close frame and ends the session; false if already closing.
    private func sendClose(code: UInt16, reason: String, sessionEnded: Bool) -> Bool {
        guard phase == .huddle || phase == .echo else { return false }
        if sessionEnded { sessionLive = false }
        tcp.write(FrameEncoder.frame(.close, payload: FrameEncoder.closePayload(CloseCode(rawValue: code), reason: reason)))
        phase = .closing
        endSession(.closed)
        server.metrics.countClose(code)
        return true
    }

    /// No frame within two heartbeats: the peer is gone or half-open.
    func timedOut() {
        endSession(.timeout)
        phase = .closing
        tcp.close()
    }

    /// Past the hard send-buffer limit: leave at once (`kicked`) and close 4009.
    func dropSlowConsumer() {
        guard let session, sessionLive else { return }
        sessionLive = false
        server.apply(server.hub.kick(session, now: server.now()))
        closeWebSocket(code: CloseCode.slowConsumer.rawValue, reason: "too slow to keep up", sessionEnded: true)
    }

    /// Shutdown: 1001 to every session and no presence leaves.
    func closeForShutdown() {
        sessionLive = false
        if isWebSocket {
            closeWebSocket(code: CloseCode.goingAway.rawValue, reason: "server shutting down", sessionEnded: true)
        } else {
            phase = .closing
            tcp.closeAfterFlush()
        }
    }

    private func endSession(_ reason: LeaveReason) {
        guard let session, sessionLive else { return }
        sessionLive = false
        server.apply(server.hub.disconnected(session, reason: reason, now: server.now()))
    }

    private func closed() {
        if let failure = tcp.security?.failure { server.tlsStreamFailed(failure) }
        closeHandshakeTimer?.close()
        closeHandshakeTimer = nil
        http?.timer.close()
        endSession(.closed)
        if countsAsSession { server.webSocketCount -= 1 }
        phase = .closing
        server.connectionClosed(self)
    }
}

/// The `error` codes of HTTP-layer parse failures.
enum HTTPErrorCodes {
    static func code(forStatus status: Int) -> String {
        switch status {
        case 408: return "request_timeout"
        case 413: return "payload_too_large"
        case 414: return "uri_too_long"
        case 431: return "headers_too_large"
        case 501: return "not_implemented"
        default: return "bad_request"
        }
    }
}

extension Session {
    /// The session's connection. The server is the only writer of
    /// `attachment` and only ever stores a `Connection`, so the unchecked
    /// downcast holds; a checked `as?` was a measurable share of fan-out
    /// time (a runtime conformance lookup per recipient).
    var connection: Connection? {
        attachment.map { unsafeDowncast($0, to: Connection.self) }
    }
}
