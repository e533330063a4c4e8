import HuddleCore
import HuddleHTTP
import HuddleJSON
import HuddleLoop
import HuddlePluginKit
import HuddleStore
import HuddleWebSocket

extension HuddleServer {
    // MARK: Plugin requests

    /// A WebSocket message of a type the core does not own: a plugin's, or unknown.
    func submitPluginCall(_ call: PluginCall) {
        let session = call.session
        let workspace = session.workspace.id
        guard let entry = registry.plugins(forWorkspace: workspace).entry(forType: call.type) else {
            send(Self.unknownType(call.type, id: call.id), to: session)
            return
        }
        guard let connection = session.connection else { return }
        guard Int(connection.pluginRequestsPending) < config.limits.maxPendingRequests else {
            send(Self.tooManyPending(id: call.id, limit: config.limits.maxPendingRequests), to: session)
            return
        }
        let request = PluginRequest(type: call.type, data: call.data, user: session.identity.pluginUser,
                                    session: session.id, workspace: workspace)
        connection.pluginRequestsPending += 1
        run(entry, request, id: call.id) { [unowned self] reply in
            connection.pluginRequestsPending -= 1
            self.send(Self.answer(reply, id: call.id).message, to: session)
        }
    }

    /// A pending request is answered within a batch or two; 100 ms leaves room for several.
    static let pendingRetryAfterMs = 100

    private static func tooManyPending(id: JSONValue?, limit: Int) -> Outgoing {
        Hub.errorMessage(code: "rate_limited", message: "\(limit) requests are already waiting for storage; retry after their acks",
                         id: id, extra: ["retry_after_ms": .int(pendingRetryAfterMs)])
    }

    /// `POST /api/workspaces/{ws}/messages`: the same pipeline, answered over HTTP.
    func answerMessage(_ request: HTTPRequest, workspace: String, on connection: Connection) {
        let identity: Identity
        switch apiIdentity(request, workspace: workspace) {
        case .failure(let rejection): return connection.respond(rejection.response, to: request)
        case .success(let verified): identity = verified
        }
        let envelope: DetachedRequest
        switch DetachedRequest.decode(request.body) {
        case .failure(let rejected): return connection.respond(.json(400, rejected.message.bytes), to: request)
        case .success(let decoded): envelope = decoded
        }
        guard let entry = registry.plugins(forWorkspace: workspace).entry(forType: envelope.type) else {
            return connection.respond(.json(400, Self.unknownType(envelope.type, id: envelope.id).bytes), to: request)
        }
        let pluginRequest = PluginRequest(type: envelope.type, data: envelope.data, user: identity.pluginUser,
                                          session: nil, workspace: workspace)
        connection.awaitingResponse = true
        run(entry, pluginRequest, id: envelope.id) { reply in
            let answer = Self.answer(reply, id: envelope.id)
            connection.respondLater(.json(answer.status, answer.message.bytes), to: request)
        }
    }

    /// Runs a plugin request; a committed event is broadcast to the workspace
    /// before `completion` (so a sender gets its event before its ack). A
    /// proxy plugin's backend is called first, off the loop and outside any
    /// store batch, so a slow backend delays no other request; only the event
    /// it answers with goes to the store, for its seq and commit.
    func run(_ entry: PluginRegistry.Entry, _ request: PluginRequest, id: JSONValue?,
                     completion: @escaping (PluginReply) -> Void) {
        metrics.pluginRequests += 1
        let started = EventLoop.hrtimeNanos()
        switch entry.handler {
        case .local(let handle, let reads):
            commit(request, pluginName: entry.name, handle: handle, reads: reads, started: started, completion: completion)
        case .proxy:
            // `init` starts a backend for every proxy entry of the registry.
            let backend = proxies[entry.name]!
            let logger = self.logger
            backend.call(request, id: id, log: { logger.error("\($0)") }) { [unowned self] answer in
                switch answer {
                case .event(let event):
                    self.commit(request, pluginName: entry.name, handle: { _, _ in .write(event) }, started: started,
                                completion: completion)
                case .result(let result):
                    completion(.read(result))
                case .error(let error):
                    completion(.failed(error))
                }
            }
        }
    }

    func commit(_ request: PluginRequest, pluginName: String, handle: @escaping PluginHandler,
                reads: @escaping (PluginRequest) -> [RecordKey] = { _ in [] }, started: UInt64,
                completion: @escaping (PluginReply) -> Void) {
        store.submit(request, pluginName: pluginName, handle: handle, reads: reads) { [unowned self] reply in
            switch reply {
            case .committed(let event):
                self.metrics.durableWrites.observe(nanos: EventLoop.hrtimeNanos() - started)
                self.cluster?.publishEvent(workspace: event.workspace, seq: event.seq, type: event.type, message: event.message)
                // The ack follows the event, which may wait for an earlier one another node committed.
                self.events.accept(workspace: event.workspace, .init(seq: event.seq, deliver: {
                    self.deliverDurable(workspace: event.workspace, seq: event.seq, type: event.type, message: event.message)
                }, then: { completion(reply) }))
                return
            case .failed(let error):
                if error.code == .unavailable { self.metrics.storageErrors += 1 }
            case .read:
                break
            }
            completion(reply)
        }
    }

    private static func unknownType(_ type: String, id: JSONValue?) -> Outgoing {
        Hub.errorMessage(code: "unknown_type", message: "no message type \(type) in this workspace", id: id)
    }

    static let ackType = "ack"

    /// The `ack` or `error` for a plugin reply, with the HTTP status the same answer gets on `/api`.
    static func answer(_ reply: PluginReply, id: JSONValue?) -> (status: Int, message: Outgoing) {
        var ack = MessageWriter(type: Self.ackType)
        ack.valueIfPresent("id", id)
        switch reply {
        case .read(let result):
            ack.value("result", result)
        case .committed(let event):
            ack.int("seq", event.seq)
            ack.raw("result", event.encodedData)
        case .failed(let error):
            var extra: [String: JSONValue] = [:]
            if let current = error.current { extra["current"] = current }
            let message = Hub.errorMessage(code: error.code.rawValue, message: error.message, id: id,
                                           details: error.details.map { ($0.field, $0.problem.rawValue) }, extra: extra)
            return (error.code.httpStatus, message)
        }
        return (200, Outgoing(type: Self.ackType, bytes: ack.finish()))
    }

    /// A direct answer to one session; held back behind a replay in progress.
    private func send(_ message: Outgoing, to session: Session) {
        guard let connection = session.connection else { return }
        metrics.countOut(message)
        let frame = OutboundBuffer(FrameEncoder.frame(.text, payload: message.bytes))
        if connection.replaysInFlight > 0 {
            connection.heldDuringReplay.append(HeldMessage(seq: nil, frame: frame))
        } else {
            connection.tcp.write(frame)
        }
    }

    // MARK: History

    func startReplay(_ request: SyncRequest) {
        replay(to: request.session, since: request.since, epoch: request.epoch, requestID: request.id)
    }

    /// Sends every retained event after `since`, then `synced`; events committed
    /// meanwhile are held and follow `synced`, each once.
    func replay(to session: Session, since: Int, epoch: String?, requestID: JSONValue?) {
        guard let connection = session.connection else { return }
        connection.replaysInFlight += 1
        store.events(workspace: session.workspace.id, since: since, epoch: epoch, limit: nil) { result in
            connection.replaysInFlight -= 1
            guard session.attachment === connection else { return }
            var latestReplayed: Int?
            switch result {
            case .success(let page):
                for event in page.events {
                    connection.tcp.write(OutboundBuffer(FrameEncoder.frame(.text, payload: event.message)))
                }
                var synced: [String: JSONValue] = ["type": "synced", "seq": .int(page.latestSeq), "epoch": .string(page.epoch)]
                if let requestID { synced["id"] = requestID }
                connection.tcp.write(FrameEncoder.frame(.text, payload: JSONValue.object(synced).encoded()))
                latestReplayed = page.latestSeq
            case .failure(let error):
                connection.tcp.write(FrameEncoder.frame(.text, payload: Self.historyError(error, id: requestID).bytes))
            }
            guard connection.replaysInFlight == 0 else { return }
            for held in connection.heldDuringReplay where held.seq == nil || held.seq! > (latestReplayed ?? Int.min) {
                connection.tcp.write(held.frame)
            }
            connection.heldDuringReplay = []
        }
    }

    private static func historyError(_ error: HistoryError, id: JSONValue?) -> Outgoing {
        switch error {
        case .gone(let latestSeq, let epoch):
            return Hub.errorMessage(code: "history_gone", message: "history before that point is no longer kept; reload your snapshots",
                                    id: id, extra: ["seq": .int(latestSeq), "epoch": .string(epoch)])
        case .unavailable(let reason):
            return Hub.errorMessage(code: "unavailable", message: "storage is failing: \(reason)", id: id)
        }
    }

    /// `GET /api/workspaces/{ws}/events?since=N&limit=M`.
    func answerEvents(_ request: HTTPRequest, workspace: String, on connection: Connection) {
        if case .failure(let rejection) = apiIdentity(request, workspace: workspace) {
            return connection.respond(rejection.response, to: request)
        }
        guard let since = EventsQuery.integer(request.queryValue("since"), default: 0),
              let limit = EventsQuery.integer(request.queryValue("limit"), default: EventsQuery.defaultLimit), limit >= 1 else {
            return connection.respond(Rejection(status: 400, code: "validation_failed").response, to: request)
        }
        connection.awaitingResponse = true
        store.events(workspace: workspace, since: since, epoch: nil, limit: min(limit, EventsQuery.maxLimit)) { result in
            switch result {
            case .success(let page):
                var body: [UInt8] = Array(#"{"events":["#.utf8)
                for (i, event) in page.events.enumerated() {
                    if i > 0 { body.append(UInt8(ascii: ",")) }
                    body += event.message
                }
                body += Array(#"],"seq":\#(page.latestSeq),"epoch":"#.utf8)
                JSONValue.writeString(page.epoch, to: &body)
                body.append(UInt8(ascii: "}"))
                connection.respondLater(.json(200, body), to: request)
            case .failure(.gone(let latestSeq, let epoch)):
                let rejection = Rejection(status: 410, code: "history_gone", extra: ["seq": .int(latestSeq), "epoch": .string(epoch)])
                connection.respondLater(rejection.response, to: request)
            case .failure(.unavailable):
                connection.respondLater(Rejection(status: 503, code: "unavailable").response, to: request)
            }
        }
    }
}

/// The query of `GET .../events` (PROTOCOL.md §9, §11).
enum EventsQuery {
    static let defaultLimit = 100
    static let maxLimit = 1000

    static func integer(_ raw: String?, default fallback: Int) -> Int? {
        guard let raw else { return fallback }
        return nonNegativeInteger(raw)
    }
}

/// A query value that must be plain decimal digits (no sign, no spaces): `nil` otherwise.
func nonNegativeInteger(_ raw: String) -> Int? {
    guard !raw.isEmpty, raw.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
    return Int(raw)
}

extension Identity {
    var pluginUser: PluginUser { PluginUser(id: userID, name: name, role: Role(rawValue: role) ?? .editor) }
}
