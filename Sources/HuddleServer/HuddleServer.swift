import Foundation
import HuddleCluster
import HuddleConfig
import HuddleCore
import HuddleHTTP
import HuddleJSON
import HuddleLoop
import HuddlePluginKit
import HuddleStore
import HuddleTLS
import HuddleWebSocket
import Logging

/// The server: one libuv loop thread owns every connection, session,
/// workspace and timer; the store runs plugins on its own thread and hands
/// results back through one wakeup queue.
public final class HuddleServer {
    let config: HuddleConfig
    let logger: Logger
    let loop: EventLoop
    let hub: Hub
    let store: Store
    let registry: PluginRegistry
    /// The backends of proxy plugins, by plugin name; each has its own outbound client.
    let proxies: [String: ProxyBackend]
    let authenticator: Authenticator
    /// Keeps `auth.jwks_url`'s keys current, when it is set.
    private let jwksFetcher: JWKSFetcher?
    /// What new TLS handshakes use (`[tls]`); replaced on SIGHUP.
    var tlsContext: TLSContext?
    let staticFiles: StaticFiles
    let metrics = ServerMetrics()
    let router: Router<Endpoint>

    private(set) var listener: TCPListener?
    /// No HTTP connection can be evicted before then (`makeRoomForHTTPConnection`).
    var noHTTPEvictionBeforeMs: UInt64 = 0
    /// Sessions opened since the listener last took in waiting peers (`acceptDuringLongTurns`).
    var handshakesSinceAccept = 0
    static let handshakesPerAccept = 64
    private var connections: [ObjectIdentifier: Connection] = [:]
    /// Connections not yet upgraded (`limits.max_http_connections`).
    var httpConnections: [ObjectIdentifier: Connection] = [:]
    /// Running out of descriptors is logged at most this often.
    var acceptFailureLog = RateLimitedLog(intervalMs: 10_000)
    private let storeReplies: Wakeup<() -> Void>
    private let deadlineTimer: LoopTimer
    private let heartbeatTimer: LoopTimer
    private let lagProbe: LoopTimer
    private var armedDeadline: UInt64?
    private var signalWatchers: [SignalWatcher] = []
    private var shuttingDown = false
    private var shutdownTimedOut = false
    private var shutdownFinished = false
    private let startedAtMs: UInt64

    /// Open WebSocket sessions (the `max_connections` count).
    var webSocketCount = 0
    /// Durable events in seq order per workspace; its `latest` is what a
    /// welcome says, since every later event is still on its way here.
    var events: EventSequencer!
    /// This node's link to the others, in cluster mode.
    var cluster: ClusterNode?
    /// Presence webhooks, when `[webhooks] url` is set.
    var webhooks: WebhookSender?
    /// Workspaces whose seq gap waits to be filled from storage, and after which seq.
    var pendingGapFills: [String: Int] = [:]
    let gapFillTimer: LoopTimer
    private let heapTrimmer: HeapTrimmer

    /// The port actually bound (useful with `server.port = 0`).
    public private(set) var port = 0

    /// `https` with `[tls]` configured, `http` without: what the ready line says.
    public var scheme: String { config.tls.isEnabled ? "https" : "http" }

    /// A server for `config`, with its storage open and its plugins built;
    /// `plugins` are the plugin types it can run (those the config enables
    /// do run). Nothing listens until ``run(onReady:)``.
    public init(config: HuddleConfig, logger: Logger, plugins: [WorkspacePlugin.Type] = builtInPlugins) throws {
        self.config = config
        self.logger = logger
        loop = try EventLoop()
        loop.batchDelayMs = UInt64(config.server.relayBatchMs)
        registry = try PluginRegistry(config: config, available: plugins)
        authenticator = try Authenticator(config: config)
        tlsContext = config.tls.isEnabled ? try TLSContext(config: config.tls) : nil
        staticFiles = try StaticFiles(directory: Self.clientDirectory())
        hub = Hub(config: CoreConfig(huddle: config))
        let replies = try Wakeup<() -> Void>(loop: loop) { jobs in for job in jobs { job() } }
        storeReplies = replies
        proxies = registry.proxySettings.reduce(into: [:]) { backends, settings in
            backends[settings.name] = ProxyBackend(settings: settings, deliver: { replies.send($0) })
        }
        let storeLogger = logger
        var learnSeqs: (StorageSnapshot) -> Void = { _ in }
        store = try Store(location: config.storage.location, historyLimit: config.storage.historyLimit,
                          deliver: { replies.send($0) }, log: { storeLogger.error("\($0)") },
                          connected: { learnSeqs($0) })
        if let verifier = authenticator.verifier, let url = config.auth.jwksURL {
            jwksFetcher = JWKSFetcher(url: url, caFile: config.auth.jwksCAFile, refreshSeconds: config.auth.jwksRefreshS,
                                      keys: verifier.keys, loop: loop, logger: logger, deliver: { replies.send($0) })
        } else {
            jwksFetcher = nil
        }
        deadlineTimer = LoopTimer(loop: loop)
        heartbeatTimer = LoopTimer(loop: loop)
        lagProbe = LoopTimer(loop: loop)
        gapFillTimer = LoopTimer(loop: loop)
        heapTrimmer = HeapTrimmer(loop: loop)
        let webhookLogger = logger
        webhooks = WebhookSender(settings: config.webhooks, loop: loop, deliver: { replies.send($0) },
                                 log: { webhookLogger.error("\($0)") })
        router = Endpoint.router(echoEnabled: config.diagnostics.echo)
        WebSocketHandshake.prepare()
        startedAtMs = loop.nowMs
        events = EventSequencer(latest: store.initialSeqs) { [unowned self] workspace, seq in
            self.scheduleGapFill(workspace, after: seq)
        }
        learnSeqs = { [unowned self] snapshot in
            for (workspace, seq) in snapshot.latestSeqs { self.events.learn(workspace: workspace, latest: seq) }
        }
    }

    /// Binds, prints the ready line, and runs the loop until SIGINT/SIGTERM.
    public func run(onReady: (Int) -> Void = { _ in }) throws {
        logFileLimit(FileLimit.raiseToHard())
        listener = try TCPListener(loop: loop, host: config.server.host, port: config.server.port) { [unowned self] tcp in
            self.accept(tcp)
        }
        listener?.onAcceptError = { [unowned self] error, refused in self.acceptFailed(error, refused: refused) }
        port = listener!.port
        try startCluster()
        for signal in [SIGINT, SIGTERM] {
            signalWatchers.append(try SignalWatcher(loop: loop, signal: signal) { [unowned self] in self.shutdown() })
        }
        if tlsContext != nil {
            signalWatchers.append(try SignalWatcher(loop: loop, signal: SIGHUP) { [unowned self] in self.reloadTLS() })
        }
        let interval = UInt64(config.presence.heartbeatMs)
        heartbeatTimer.start(afterMs: interval, repeatMs: interval) { [unowned self] in self.sweepHeartbeats() }
        armLagProbe()
        heapTrimmer.start { [unowned self] durationMs in
            self.logger.debug("heap trimmed after a burst of connections", metadata: ["duration_ms": "\(durationMs)"])
        }
        jwksFetcher?.start()
        logger.info("huddle listening", metadata: ["host": "\(config.server.host)", "port": "\(port)"])
        onReady(port)
        loop.run()
        for backend in proxies.values { backend.close() }
        store.shutDown()
    }

    // MARK: Connections

    private func accept(_ tcp: TCPConnection) {
        guard !shuttingDown else { tcp.close(); return }
        makeRoomForHTTPConnection()
        tcp.setNoDelay(true)
        if let tlsContext {
            guard let stream = TLSStream(context: tlsContext) else { tcp.close(); return }
            tcp.security = stream
        }
        metrics.connectionsAccepted += 1
        heapTrimmer.connectionChurned()
        let connection = Connection(tcp: tcp, server: self)
        connections[ObjectIdentifier(connection)] = connection
        httpConnections[ObjectIdentifier(connection)] = connection
        tcp.startReading()
    }

    var connectionCount: Int { connections.count }

    func connectionClosed(_ connection: Connection) {
        connections.removeValue(forKey: ObjectIdentifier(connection))
        heapTrimmer.connectionChurned()
        httpConnectionEnded(connection)
        if shuttingDown && connections.isEmpty { finishShutdown() }
    }

    /// The current time for the core: the loop's monotonic clock and the wall clock.
    func now() -> Now {
        Now(monotonicMs: loop.nowMs, unixMs: Int64(Date().timeIntervalSince1970 * 1000))
    }

    var uptimeSeconds: Int { Int((loop.nowMs - startedAtMs) / 1000) }

    // MARK: Effects

    /// Carries out what the core decided, then re-arms the one deadline timer.
    func apply(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .send(let outgoing, let audience):
                deliver(outgoing, to: audience)
            case .close(let session, let code, let reason):
                session.connection?.closeWebSocket(code: code, reason: reason, sessionEnded: true)
            case .plugin(let call):
                submitPluginCall(call)
            case .sync(let request):
                startReplay(request)
            case .cluster(let change):
                cluster?.publish(change)
            case .notice(let notice):
                webhooks?.enqueue(notice, at: ISOTimestamp.string(unixMs: now().unixMs))
            case .refreshToken(let refresh):
                refreshToken(refresh)
            }
        }
        rearmDeadlineTimer()
    }

    private func rearmDeadlineTimer() {
        guard let deadline = hub.nextDeadline else {
            if armedDeadline != nil { deadlineTimer.stop(); armedDeadline = nil }
            return
        }
        guard deadline != armedDeadline else { return }
        armedDeadline = deadline
        let nowMs = loop.nowMs
        deadlineTimer.start(afterMs: deadline > nowMs ? deadline - nowMs : 0) { [unowned self] in
            self.armedDeadline = nil
            self.apply(self.hub.advance(to: self.now()))
        }
    }

    // MARK: Fan-out

    /// Frames a message once and writes that one buffer to every recipient.
    func deliver(_ outgoing: Outgoing, to audience: Audience) {
        let frame = OutboundBuffer(FrameEncoder.frame(.text, payload: outgoing.bytes))
        metrics.countOut(outgoing)
        var slow: [Connection] = []
        switch audience {
        case .session(let session):
            write(frame, to: session, delivery: outgoing.delivery, slow: &slow)
        case .workspace(let workspace):
            for session in workspace.connectedSessions {
                write(frame, to: session, delivery: outgoing.delivery, slow: &slow)
            }
        case .workspaceExcept(let workspace, let sender):
            for session in workspace.connectedSessions where session !== sender {
                write(frame, to: session, delivery: outgoing.delivery, slow: &slow)
            }
        }
        for connection in slow { connection.dropSlowConsumer() }
    }

    /// Durable events skip sessions that are replaying history: those get them
    /// after `synced`, in order, exactly once. `type` is for metrics.
    func deliverDurable(workspace id: String, seq: Int, type: String, message: [UInt8]) {
        metrics.countOut(type: type)
        guard let workspace = hub.workspace(id) else { return }
        let frame = OutboundBuffer(FrameEncoder.frame(.text, payload: message))
        var slow: [Connection] = []
        for session in workspace.connectedSessions {
            guard let connection = session.connection else { continue }
            if connection.replaysInFlight > 0 {
                connection.heldDuringReplay.append(HeldMessage(seq: seq, frame: frame))
            } else {
                // The sender's own copy leaves with its ack, which is prompt.
                write(frame, to: session, delivery: .batched, slow: &slow)
            }
        }
        for connection in slow { connection.dropSlowConsumer() }
    }

    private func write(_ frame: OutboundBuffer, to session: Session, delivery: Outgoing.Delivery, slow: inout [Connection]) {
        guard let connection = session.connection else { return }
        let limit = config.limits.maxSendBufferBytes
        switch delivery {
        case .prompt:
            connection.tcp.write(frame)
        case .batched:
            connection.tcp.writeBatched(frame)
        case .droppable:
            if connection.tcp.backlogBytes > limit {
                metrics.relaysDroppedSlowConsumer += 1
                return
            }
            connection.tcp.writeBatched(frame)
        }
        metrics.deliveries += 1
        if connection.tcp.backlogBytes > limit * Self.slowConsumerCloseFactor { slow.append(connection) }
    }

    /// PROTOCOL.md §8: past 4× the send buffer limit a session is closed with 4009.
    static let slowConsumerCloseFactor = 4

    // MARK: Loop health

    /// How late a timer fires is how long the loop was busy: the event-loop lag metric.
    static let lagProbeIntervalMs: UInt64 = 1000

    private func armLagProbe() {
        let expected = EventLoop.hrtimeNanos() + Self.lagProbeIntervalMs * 1_000_000
        lagProbe.start(afterMs: Self.lagProbeIntervalMs) { [unowned self] in
            let now = EventLoop.hrtimeNanos()
            self.metrics.loopLagMs = now > expected ? (now - expected) / 1_000_000 : 0
            self.armLagProbe()
        }
    }

    // MARK: Heartbeats

    private func sweepHeartbeats() {
        let nowMs = loop.nowMs
        let silenceLimit = UInt64(config.presence.heartbeatMs) * 2
        let ping = OutboundBuffer(FrameEncoder.frame(.ping, payload: []))
        for connection in connections.values where connection.isWebSocket {
            if nowMs - connection.lastHeardMs > silenceLimit {
                connection.timedOut()
            } else {
                connection.tcp.write(ping)
            }
        }
    }

    // MARK: Shutdown

    /// SIGINT/SIGTERM: stop accepting, close every session with 1001 (no
    /// presence leaves), let the store finish what it has, exit within the bound.
    func shutdown() {
        guard !shuttingDown else { return }
        shuttingDown = true
        logger.info("shutting down")
        listener?.close()
        heartbeatTimer.stop()
        lagProbe.stop()
        deadlineTimer.stop()
        deadlineTimer.start(afterMs: UInt64(config.server.shutdownTimeoutMs)) { [unowned self] in
            self.shutdownTimedOut = true
            self.finishShutdown()
        }
        guard let cluster else { return closeEveryConnection() }
        // The other nodes keep these sessions in grace (reason shutdown), so a
        // client that reconnects elsewhere with ?session= resumes them. The
        // sockets close only once Redis has the news: a client told 1001
        // sooner could reach another node before it.
        for connection in connections.values {
            if let session = connection.session, session.isConnected {
                apply(hub.disconnected(session, reason: .shutdown, now: now()))
            }
        }
        cluster.shutDown { [unowned self] in
            self.cluster = nil
            self.closeEveryConnection()
        }
    }

    /// 1001 to every session (no presence leaves here), then the end once they are closed.
    private func closeEveryConnection() {
        for connection in Array(connections.values) { connection.closeForShutdown() }
        if connections.isEmpty { finishShutdown() }
    }

    private func finishShutdown() {
        // Waits for the cluster's last words, unless the shutdown bound is up.
        guard !loop.isTornDown, !shutdownFinished, cluster == nil || shutdownTimedOut else { return }
        shutdownFinished = true
        for connection in Array(connections.values) { connection.tcp.close() }
        for watcher in signalWatchers { watcher.close() }
        signalWatchers = []
        deadlineTimer.close()
        heartbeatTimer.close()
        lagProbe.close()
        jwksFetcher?.close()
        gapFillTimer.close()
        heapTrimmer.close()
        webhooks?.close()
        storeReplies.close()
        loop.stop()
    }

    // MARK: Resources

    /// The bundled client: SwiftPM copies `Client/` next to the executable.
    static func clientDirectory() -> String {
        Bundle.module.resourceURL!.appendingPathComponent("Client").path
    }
}

/// A durable event held back from a session until its replay has been sent.
struct HeldMessage {
    /// `nil` for acks, which are always delivered after the replay.
    let seq: Int?
    let frame: OutboundBuffer
}

extension HuddleConfig.Storage {
    /// The SQLite file, or the PostgreSQL database when `postgres_url` is set.
    var location: StorageLocation {
        guard let url = postgresURL else { return .sqlite(path: path) }
        return .postgres(url: url.text, redacted: url.redacted)
    }
}

extension CoreConfig {
    init(huddle config: HuddleConfig) {
        self.init(graceMs: config.presence.graceMs, typingTTLMs: config.typing.ttlMs,
                  typingMaxTargets: config.typing.maxTargets, cursorMaxHz: config.cursor.maxHz,
                  messagesPerSecond: config.limits.messagesPerSecond, burst: config.limits.burst,
                  heartbeatMs: config.presence.heartbeatMs, clustered: config.cluster.redisURL != nil,
                  notices: config.webhooks.url != nil)
    }
}
