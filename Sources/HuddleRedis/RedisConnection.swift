import CHiredis
import HuddleLoop

/// One hiredis async context on the loop, and the life around it: connect,
/// handshake, reconnect with backoff, close.
///
/// hiredis frees a context itself, and says so only through callbacks:
/// right after `onConnect` with an error, and right after `onDisconnect`
/// (which `redisAsyncFree` of a connected context calls too, at once or,
/// from inside one of the context's reply callbacks, once that returns).
/// Only a context that never connected is freed silently, and only by this
/// side's `redisAsyncFree`. `context` is cleared at exactly those points,
/// and the connection keeps itself alive (`selfWhileContextLives`) for as
/// long as hiredis may still call back through the context's `data`.
final class RedisConnection {
    enum Phase {
        case idle, connecting, handshaking, ready, waitingToRetry, closed
    }

    /// "commands" or "subscriber", at the start of each failure reason.
    let role: String
    private let url: RedisURL
    private let loop: EventLoop
    private let options: RedisLinkOptions
    /// Connect timeout while connecting or handshaking, backoff while waiting.
    private let timer: LoopTimer
    private(set) var phase: Phase = .idle
    private var context: UnsafeMutablePointer<redisAsyncContext>?
    private var selfWhileContextLives: RedisConnection?
    private var failuresInARow = 0
    /// Why this side is freeing a connected context: hiredis then reports a
    /// clean disconnect, which would hide the cause.
    private var dropReason: String?
    weak var delegate: RedisConnectionDelegate?

    var isReady: Bool { phase == .ready }

    init(role: String, url: RedisURL, loop: EventLoop, options: RedisLinkOptions) {
        self.role = role
        self.url = url
        self.loop = loop
        self.options = options
        timer = LoopTimer(loop: loop)
        // closeAll cannot close hiredis's poll handle; this closes it first.
        loop.addCloseAllHook { [weak self] in self?.closeNow() }
    }

    deinit {
        timer.close()
    }

    // MARK: Connecting

    /// Starts an attempt; a no-op unless idle or waiting to retry.
    func start() {
        guard phase == .idle || phase == .waitingToRetry else { return }
        // hiredis 0.14 resolves a host name with a blocking getaddrinfo; an
        // IP address (the usual case for a Redis URL) does not block.
        guard let ac = redisAsyncConnect(url.host, Int32(url.port)) else {
            return failed("cannot allocate a hiredis context", wasReady: false)
        }
        if ac.pointee.err != 0 {
            let reason = Self.errorText(ac)
            redisAsyncFree(ac)
            return failed(reason, wasReady: false)
        }
        // The adapter with upstream's fix for socket errors (see CHiredis/shim.h).
        guard huddle_redisLibuvAttach(ac, loop.libuvLoop) == REDIS_OK else {
            redisAsyncFree(ac)
            return failed("cannot poll the Redis socket", wasReady: false)
        }
        ac.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        selfWhileContextLives = self
        context = ac
        // Also asks for the first write event, which is how 0.14 learns
        // that the non-blocking connect is done (or failed).
        redisAsyncSetConnectCallback(ac, connectCallback)
        redisAsyncSetDisconnectCallback(ac, disconnectCallback)
        // A Redis host that vanishes without a FIN (a partition, a dead VM)
        // is found by keepalive probes rather than never.
        _ = redisEnableKeepAlive(Self.syncContext(of: ac))
        phase = .connecting
        armConnectTimeout()
    }

    private func armConnectTimeout() {
        timer.start(afterMs: options.connectTimeoutMs) { [weak self] in
            guard let self else { return }
            switch phase {
            case .connecting: drop("connect timed out after \(options.connectTimeoutMs) ms")
            case .handshaking: drop("no answer to the handshake within \(options.connectTimeoutMs) ms")
            default: break
            }
        }
    }

    fileprivate func didConnect(status: Int32, _ ac: UnsafePointer<redisAsyncContext>) {
        guard status == REDIS_OK else {
            // hiredis frees the context when this returns, with no disconnect callback.
            let reason = Self.errorText(ac)
            contextDidGo()
            if phase != .closed { failed(reason, wasReady: false) }
            return
        }
        guard phase == .connecting else { return }
        phase = .handshaking
        sendHandshake()
    }

    /// AUTH and SELECT as the URL asks, then PING: ready once PING answers.
    /// Pipelined: they leave in the connection's first write.
    private func sendHandshake() {
        var steps: [[String]] = []
        if let password = url.password { steps.append(["AUTH", password]) }
        if url.database != 0 { steps.append(["SELECT", String(url.database)]) }
        steps.append(["PING"])
        for (index, step) in steps.enumerated() {
            let name = step[0]  // never the password
            let isLast = index == steps.count - 1
            issue(step.map { Array($0.utf8) }) { [weak self] reply in
                self?.handshakeReply(reply, step: name, isLast: isLast)
            }
        }
    }

    private func handshakeReply(_ reply: RedisReply, step: String, isLast: Bool) {
        // A lost connection reports itself through the disconnect callback.
        guard phase == .handshaking, !reply.isLinkFailure else { return }
        if case .error(let message) = reply {
            drop("\(step) refused: \(message)")
        } else if isLast {
            phase = .ready
            failuresInARow = 0
            timer.stop()
            delegate?.connectionDidBecomeReady(self)
        }
    }

    // MARK: Losing the connection

    fileprivate func didDisconnect(status: Int32, _ ac: UnsafePointer<redisAsyncContext>) {
        let reason = dropReason ?? (status == REDIS_OK ? "closed" : Self.errorText(ac))
        let wasReady = phase == .ready
        contextDidGo()
        if phase != .closed { failed(reason, wasReady: wasReady) }
    }

    /// Frees the context from this side, reporting `reason` as the failure.
    private func drop(_ reason: String) {
        // Once dropping, the free is under way (perhaps deferred by hiredis).
        guard let ac = context, dropReason == nil else { return }
        dropReason = reason
        let isConnected = ac.pointee.c.flags & REDIS_CONNECTED != 0
        redisAsyncFree(ac)
        // A connected context reports through the disconnect callback (at
        // once, or when the reply callback we are in returns); an unconnected
        // one is gone now without a word.
        if !isConnected {
            contextDidGo()
            if phase != .closed { failed(reason, wasReady: false) }
        }
    }

    private func contextDidGo() {
        context = nil
        dropReason = nil
        selfWhileContextLives = nil
    }

    private func failed(_ reason: String, wasReady: Bool) {
        let delay = options.reconnectBackoff.delayMs(afterFailures: failuresInARow)
        failuresInARow += 1
        phase = .waitingToRetry
        timer.start(afterMs: delay) { [weak self] in self?.start() }
        delegate?.connectionDidFail(self, reason: "\(role): \(reason)", wasReady: wasReady, retryInMs: delay)
    }

    // MARK: Closing

    /// Stops for good. A ready connection first sends what is queued and
    /// waits for the replies owed (hiredis's clean disconnect); any other
    /// is dropped at once.
    func close() {
        guard phase != .closed else { return }
        let wasReady = phase == .ready
        phase = .closed
        timer.close()
        guard let ac = context else { return }
        if wasReady {
            redisAsyncDisconnect(ac)
        } else {
            drop("closed")
        }
    }

    /// Stops for good without waiting for Redis, even in the middle of a
    /// clean disconnect: `EventLoop.closeAll` must not wait on the network.
    func closeNow() {
        phase = .closed
        timer.close()
        drop("closed")
    }

    // MARK: Commands

    /// Queues a command in hiredis's output buffer; it leaves with everything
    /// else queued when the loop next finds the socket writable, i.e. after
    /// this loop turn. `handler` (if any) gets the reply or a `LINKLOST`
    /// error. False if hiredis refused it (no context, or disconnecting).
    @discardableResult
    func issue(_ arguments: [[UInt8]], reply handler: ((RedisReply) -> Void)?) -> Bool {
        guard let ac = context else { return false }
        let box = handler.map { Unmanaged.passRetained(ReplyBox($0)).toOpaque() }
        let status = RedisArguments.withArgv(arguments) { argc, argv, lengths in
            redisAsyncCommandArgv(ac, box == nil ? nil : replyCallback, box, argc, argv, lengths)
        }
        guard status == REDIS_OK else {
            box.map { Unmanaged<ReplyBox>.fromOpaque($0).release() }
            return false
        }
        return true
    }

    /// Queues SUBSCRIBE or UNSUBSCRIBE; confirmations and messages come to
    /// the delegate as pushes.
    @discardableResult
    func issuePubSub(_ arguments: [[UInt8]]) -> Bool {
        guard let ac = context else { return false }
        let status = RedisArguments.withArgv(arguments) { argc, argv, lengths in
            redisAsyncCommandArgv(ac, pushCallback, nil, argc, argv, lengths)
        }
        return status == REDIS_OK
    }

    fileprivate func didReceivePush(_ reply: UnsafeMutablePointer<redisReply>) {
        delegate?.connection(self, didReceivePush: reply)
    }

    // MARK: hiredis details

    /// The text of the context's last error. `c.errstr` rather than
    /// `ac->errstr`: hiredis copies the latter only after `onConnect` runs.
    private static func errorText(_ ac: UnsafePointer<redisAsyncContext>) -> String {
        withUnsafePointer(to: ac.pointee.c.errstr) {
            $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: ac.pointee.c.errstr)) {
                String(cString: $0)
            }
        }
    }

    /// The `redisContext` an async context starts with (its first field).
    private static func syncContext(of ac: UnsafeMutablePointer<redisAsyncContext>) -> UnsafeMutablePointer<redisContext> {
        UnsafeMutableRawPointer(ac).assumingMemoryBound(to: redisContext.self)
    }
}

/// A reply handler handed to hiredis as `privdata`: retained when queued,
/// released by the one callback hiredis makes for it (with the reply, or
/// with NULL when the context is freed first).
private final class ReplyBox {
    let handler: (RedisReply) -> Void
    init(_ handler: @escaping (RedisReply) -> Void) { self.handler = handler }
}

private func replyCallback(_: UnsafeMutablePointer<redisAsyncContext>?, reply: UnsafeMutableRawPointer?,
                           privdata: UnsafeMutableRawPointer?) {
    guard let privdata else { return }
    let box = Unmanaged<ReplyBox>.fromOpaque(privdata).takeRetainedValue()
    if let reply {
        box.handler(RedisReply(reply.assumingMemoryBound(to: redisReply.self)))
    } else {
        box.handler(.error("\(RedisReply.linkLost) the connection to Redis ended before the reply"))
    }
}

/// For pub/sub pushes: hiredis keeps this callback per channel and calls it
/// for every confirmation and message, so it carries no `privdata` and finds
/// the connection through the context. NULL replies (the context being
/// freed) are dropped: the disconnect callback reports the loss.
private func pushCallback(_ ac: UnsafeMutablePointer<redisAsyncContext>?, reply: UnsafeMutableRawPointer?,
                          _: UnsafeMutableRawPointer?) {
    guard let ac, let data = ac.pointee.data, let reply else { return }
    Unmanaged<RedisConnection>.fromOpaque(data).takeUnretainedValue()
        .didReceivePush(reply.assumingMemoryBound(to: redisReply.self))
}

private func connectCallback(_ ac: UnsafePointer<redisAsyncContext>?, status: Int32) {
    guard let ac, let data = ac.pointee.data else { return }
    Unmanaged<RedisConnection>.fromOpaque(data).takeUnretainedValue().didConnect(status: status, ac)
}

private func disconnectCallback(_ ac: UnsafePointer<redisAsyncContext>?, status: Int32) {
    guard let ac, let data = ac.pointee.data else { return }
    Unmanaged<RedisConnection>.fromOpaque(data).takeUnretainedValue().didDisconnect(status: status, ac)
}
