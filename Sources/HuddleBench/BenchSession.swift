import HuddleLoop
import HuddleWebSocket

/// One WebSocket client session of the generator: writes the upgrade request
/// by hand, checks the 101, then reads frames and reports what it sees to
/// its `BenchRun`.
final class BenchSession {
    /// Large enough for any `welcome` of a big workspace.
    private static let maxMessageBytes = 64 * 1024 * 1024
    private static let headerEnd = Array("\r\n\r\n".utf8)
    private static let switchingProtocols = Array("HTTP/1.1 101".utf8)

    unowned let run: any BenchSessionOwner
    let workspace: String
    let user: String
    /// The node this session connects to.
    let endpoint: BenchEndpoint
    /// Added to the upgrade's query, e.g. `session=s_…` to resume.
    let query: String
    private(set) var connection: TCPConnection?
    private var handshakeBytes: [UInt8] = []
    private var isUpgraded = false
    private(set) var isWelcomed = false
    /// Set by `leave`: the server's close frame answers ours and is no failure.
    private var isLeaving = false
    /// Counted among the run's handshakes under way.
    var holdsConnectSlot = false
    private var reader = MessageReader(role: .client, maxMessageBytes: maxMessageBytes)
    /// Send times of requests awaiting their ack, oldest first (the server
    /// answers one session's messages in order).
    var pendingRequestNanos: [UInt64] = []
    var pendingRequestHead = 0
    var pendingRequestCount: Int { pendingRequestNanos.count - pendingRequestHead }
    /// The kanban task this session moves (durable-write `move` runs).
    var taskID: String?
    /// Re-armed after each cursor with a jittered delay.
    var sendTimer: LoopTimer?

    init(run: any BenchSessionOwner, workspace: String, user: String, endpoint: BenchEndpoint, query: String = "") {
        self.run = run
        self.workspace = workspace
        self.user = user
        self.endpoint = endpoint
        self.query = query
    }

    func open() {
        let host = endpoint.host, port = endpoint.port
        endpoint.connect(loop: run.loop) { [self] result in
            switch result {
            case .failure(let error):
                run.sessionFailed(self, reason: "connect: \(error)")
            case .success(let connection):
                self.connection = connection
                connection.setNoDelay(true)
                connection.onRead = { [unowned self] bytes in self.received(bytes) }
                connection.onClose = { [unowned self] error in self.closed(error) }
                connection.startReading()
                connection.write(Array(upgradeRequest(host: host, port: port).utf8))
            }
        }
    }

    private func upgradeRequest(host: String, port: Int) -> String {
        var keyBytes = [UInt8](repeating: 0, count: 16)
        for index in keyBytes.indices { keyBytes[index] = UInt8.random(in: .min ... .max, using: &run.random) }
        return "GET /ws/\(workspace)?user=\(user)\(query.isEmpty ? "" : "&" + query) HTTP/1.1\r\n"
            + "Host: \(host):\(port)\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(Base64.encode(keyBytes))\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Protocol: \(WebSocketHandshake.subprotocol)\r\n\r\n"
    }

    /// Sends one text message, masked as a client must.
    func send(_ payload: [UInt8]) {
        guard let connection, !connection.isClosed else { return }
        connection.write(FrameEncoder.frame(.text, payload: payload, maskKey: run.random.next32()))
    }

    func close() {
        sendTimer?.close()
        sendTimer = nil
        connection?.close()
    }

    /// Starts the closing handshake: a close frame now, the TCP close once
    /// the server answers it.
    func leave() {
        isLeaving = true
        guard let connection, !connection.isClosed else { return }
        connection.write(FrameEncoder.frame(.close, payload: FrameEncoder.closePayload(.normal), maskKey: run.random.next32()))
    }

    private func received(_ bytes: UnsafeMutableRawBufferPointer) {
        if isUpgraded {
            readFrames(bytes)
            return
        }
        handshakeBytes.append(contentsOf: bytes)
        guard let end = Self.range(of: Self.headerEnd, in: handshakeBytes) else { return }
        guard handshakeBytes.starts(with: Self.switchingProtocols) else {
            let statusLine = handshakeBytes.prefix { $0 != UInt8(ascii: "\r") }
            run.sessionFailed(self, reason: "handshake: \(String(decoding: statusLine, as: UTF8.self))")
            connection?.close()
            return
        }
        isUpgraded = true
        var rest = Array(handshakeBytes[(end + Self.headerEnd.count)...])
        handshakeBytes = []
        if !rest.isEmpty {
            rest.withUnsafeMutableBytes { readFrames($0) }
        }
    }

    private func readFrames(_ bytes: UnsafeMutableRawBufferPointer) {
        let now = EventLoop.hrtimeNanos()
        do {
            try reader.read(bytes) { message in
                switch message {
                case .text(let payload):
                    handle(ServerMessageKind.of(payload), payload: payload, at: now)
                case .ping(let payload):
                    connection?.write(FrameEncoder.frame(.pong, payload: payload, maskKey: run.random.next32()))
                case .close(let code, let reason):
                    if !isLeaving { run.sessionClosedByServer(self, code: code, reason: reason) }
                    connection?.close()
                case .binary, .pong:
                    break
                }
            }
        } catch {
            run.sessionFailed(self, reason: "protocol: \(error)")
            connection?.close()
        }
    }

    private func handle(_ kind: ServerMessageKind, payload: UnsafeRawBufferPointer, at now: UInt64) {
        switch kind {
        case .welcome:
            isWelcomed = true
            run.sessionWelcomed(self, welcome: payload)
        case .cursor:
            run.cursorRelayed(sentAt: ServerMessageKind.embeddedTimestamp(in: payload), receivedAt: now)
        case .ack, .error:
            guard pendingRequestCount > 0 else { return }
            let sentAt = pendingRequestNanos[pendingRequestHead]
            pendingRequestHead += 1
            if pendingRequestHead == pendingRequestNanos.count {
                pendingRequestNanos.removeAll(keepingCapacity: true)
                pendingRequestHead = 0
            }
            if kind == .ack {
                run.requestAcked(self, sentAt: sentAt, receivedAt: now, payload: payload)
            } else {
                run.requestFailed(self, error: String(decoding: payload, as: UTF8.self))
            }
        case .presenceJoin, .presenceLeave, .presenceUpdate:
            run.presenceMessage(self, kind: kind, payload: payload)
        case .other:
            run.otherMessage()
        }
    }

    private func closed(_ error: LoopError?) {
        sendTimer?.close()
        sendTimer = nil
        run.sessionEnded(self, error: error)
    }

    private static func range(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
