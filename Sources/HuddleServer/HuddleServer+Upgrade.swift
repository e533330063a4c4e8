import HuddleCore
import HuddleHTTP
import HuddleJSON
import HuddleLoop
import HuddleWebSocket

extension HuddleServer {
    /// Seconds a client refused for capacity is asked to wait.
    static let overCapacityRetrySeconds = 5

    /// `GET /ws/{workspace}`: PROTOCOL.md §1's checks in their order, then the
    /// welcome, the join, and a replay when `?since=` asks for one.
    func upgradeToHuddle(_ request: HTTPRequest, workspace: String, on connection: Connection) {
        func refuse(_ rejection: Rejection) {
            metrics.upgradesRefused += 1
            connection.respond(rejection.response, to: request)
        }
        // 1. identity syntax and replay position
        let devIdentity: Identity?
        switch authenticator.devIdentity(request, fallbackUser: SessionIDs.guestUser) {
        case .failure(let rejection): return refuse(rejection)
        case .success(let identity): devIdentity = identity
        }
        let replayFrom: ReplayPosition?
        switch ReplayPosition.parse(since: request.queryValue("since"), epoch: request.queryValue("epoch")) {
        case .failure(let rejection): return refuse(rejection)
        case .success(let position): replayFrom = position
        }
        // 2–3. the WebSocket handshake and subprotocol
        let handshake: AcceptedHandshake
        switch evaluateHandshake(request) {
        case .failure(let rejection): return refuse(rejection)
        case .success(let accepted): handshake = accepted
        }
        // 4. origin
        if let origin = request.headers["Origin"], !originAllowed(origin) { return refuse(.originNotAllowed) }
        // 5. token
        let identity: Identity
        if let devIdentity {
            identity = devIdentity
        } else {
            switch authenticator.tokenIdentity(request, workspace: workspace, nowSeconds: wallSeconds(), from: .headerOrQuery) {
            case .failure(let rejection): return refuse(rejection)
            case .success(let verified): identity = verified
            }
        }
        // A session the server API removed does not come back by resuming.
        if let resume = request.queryValue("session"), hub.wasRemoved(resume, now: now()) { return refuse(.sessionRemoved) }
        // 6. capacity
        guard webSocketCount < config.limits.maxConnections else {
            return refuse(.overCapacity(retryAfterSeconds: Self.overCapacityRetrySeconds))
        }

        let resume = request.queryValue("session")
        let response = HTTPResponse(status: 101, headers: HTTPHeaders(handshake.responseHeaders))
        guard let cluster else {
            return admit(connection, to: workspace, as: identity, resume: resume, response: response, replayFrom: replayFrom)
        }
        // A node new to the workspace first learns the other nodes' sessions
        // there, so the welcome lists them and a resume can take one over.
        connection.awaitingResponse = true
        cluster.listen(to: workspace) { [unowned self] in
            self.whenFollowing(workspace) {
                self.whenResumable(resume, attemptsLeft: Self.resumeWaitAttempts) {
                    guard connection.phase == .http else { return }
                    connection.awaitingResponse = false
                    self.admit(connection, to: workspace, as: identity, resume: resume, response: response, replayFrom: replayFrom)
                }
            }
        }
    }

    /// A client that lost its connection to another node may reach this one
    /// before that node's news of it (its grace) does: the resume waits for
    /// it, briefly. Past that, the session is taken as still connected, and
    /// the client gets a new one, as PROTOCOL.md §3 says.
    static let resumeWaitAttempts = 10
    static let resumeWaitStepMs: UInt64 = 20

    private func whenResumable(_ resume: String?, attemptsLeft: Int, then proceed: @escaping () -> Void) {
        guard let resume, attemptsLeft > 0, hub.isConnectedElsewhere(resume) else { return proceed() }
        let timer = LoopTimer(loop: loop)
        timer.start(afterMs: Self.resumeWaitStepMs) { [unowned self] in
            timer.close()
            self.whenResumable(resume, attemptsLeft: attemptsLeft - 1, then: proceed)
        }
    }

    /// Upgrades, joins (or resumes), welcomes, and replays when asked.
    private func admit(_ connection: Connection, to workspace: String, as identity: Identity, resume: String?,
                       response: HTTPResponse, replayFrom: ReplayPosition?) {
        connection.upgrade(to: .huddle, response: response)
        metrics.sessionsOpened += 1
        acceptDuringLongTurns()
        let (session, resumed, effects) = hub.connect(workspace: workspace, identity: identity, resume: resume,
                                                      attachment: connection, now: now())
        connection.attach(session)
        let plugins = registry.plugins(forWorkspace: workspace)
        deliver(hub.welcome(for: session, resumed: resumed, seq: events.latest[workspace] ?? 0, epoch: store.epoch,
                            plugins: plugins.welcomeJSON), to: .session(session))
        apply(effects)
        if let replayFrom {
            replay(to: session, since: replayFrom.since, epoch: replayFrom.epoch, requestID: nil)
        }
        connection.readBufferedFrames()
    }

    /// `GET /echo` (diagnostics only): a plain echo WebSocket for conformance suites.
    func upgradeToEcho(_ request: HTTPRequest, on connection: Connection) {
        switch evaluateHandshake(request) {
        case .failure(let rejection):
            connection.respond(rejection.response, to: request)
        case .success(let handshake):
            connection.upgrade(to: .echo, response: HTTPResponse(status: 101, headers: HTTPHeaders(handshake.responseHeaders)))
            connection.readBufferedFrames()
        }
    }

    private func evaluateHandshake(_ request: HTTPRequest) -> Result<AcceptedHandshake, Rejection> {
        let result = WebSocketHandshake.evaluate(method: request.method, header: { request.headers[$0] },
                                                 headerTokens: { request.headers.tokens($0) })
        return result.mapError { Rejection(status: $0.status, code: $0.code, headers: $0.headers) }
    }

    private func originAllowed(_ origin: String) -> Bool {
        config.auth.allowedOrigins.contains { $0 == "*" || $0 == origin }
    }

    /// Every `handshakesPerAccept` sessions opened, takes in the peers waiting
    /// to be accepted: a loop turn of a thousand handshakes (a reconnect
    /// storm) lasts long enough for the listen queue to overflow otherwise.
    private func acceptDuringLongTurns() {
        handshakesSinceAccept += 1
        guard handshakesSinceAccept >= Self.handshakesPerAccept else { return }
        handshakesSinceAccept = 0
        listener?.acceptPending()
    }
}

/// `?since=N&epoch=E` on connect (PROTOCOL.md §1, §11).
struct ReplayPosition {
    static let epochRule = CharacterSetRule(
        allowed: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", length: 1...64)

    let since: Int
    let epoch: String?

    /// `nil` without `since` (an `epoch` alone is ignored, malformed or not).
    static func parse(since: String?, epoch: String?) -> Result<ReplayPosition?, Rejection> {
        guard let since else { return .success(nil) }
        guard let value = nonNegativeInteger(since) else { return .failure(.badSince) }
        if let epoch, !epochRule.matches(epoch) { return .failure(.badSince) }
        return .success(ReplayPosition(since: value, epoch: epoch))
    }
}
