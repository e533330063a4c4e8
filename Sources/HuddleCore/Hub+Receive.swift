import HuddleJSON

extension Hub {
    /// One complete text message from a connected session.
    ///
    /// It costs a token first (§8: over the bucket → `rate_limited` with
    /// `retry_after_ms`, message dropped; a rejection streak lasting
    /// `abuseStreakMs` → leave with reason `kicked` and close 4008). Then the
    /// envelope is checked (§2) and the core types handled: `presence.set`,
    /// `typing`, `cursor`, `leave`, `ping`, `sync`; any other type becomes a
    /// `.plugin` effect. Messages from a session that is not connected are ignored.
    public func receive(_ text: UnsafeRawBufferPointer, from session: Session, now: Now) -> [Effect] {
        guard session.isConnected else { return [] }
        switch session.bucket.take(at: now.monotonicMs, config: config) {
        case .allowed:
            break
        case .rejected(let retryAfterMs):
            // The id is echoed so a client waiting on a reply to this request gets one.
            let id = try? Envelope.parse(text).get().id
            return [reply(to: session, rateLimited(id: id, retryAfterMs: retryAfterMs, message: "too many messages: slow down"))]
        case .abusive:
            var effects: [Effect] = []
            leave(session, reason: .kicked, into: &effects)
            effects.append(.close(session, code: CoreCloseCode.abuse, reason: "rate limit exceeded for too long"))
            return effects
        }

        let envelope: Envelope
        switch Envelope.parse(text) {
        case .success(let parsed):
            envelope = parsed
        case .failure(.badJSON(let error)):
            return [reply(to: session, Hub.errorMessage(code: ErrorCode.badJSON, message: "the message is not valid JSON: \(error)", id: nil))]
        case .failure(.badEnvelope(let problem, let id)):
            return [reply(to: session, Hub.errorMessage(code: ErrorCode.badEnvelope, message: problem, id: id))]
        }

        switch envelope.type {
        case MessageType.presenceSet:
            return setPresence(of: session, envelope: envelope, text: text)
        case MessageType.typing:
            return receiveTyping(from: session, envelope: envelope, text: text, now: now)
        case MessageType.cursor:
            return receiveCursor(from: session, envelope: envelope, text: text, now: now)
        case MessageType.leave:
            var effects: [Effect] = []
            leave(session, reason: .left, into: &effects)
            effects.append(.close(session, code: CoreCloseCode.normal, reason: "left"))
            return effects
        case MessageType.ping:
            var writer = MessageWriter(type: MessageType.pong)
            writer.valueIfPresent("id", envelope.id)
            writer.timestamp("time", unixMs: now.unixMs)
            return [reply(to: session, Outgoing(type: MessageType.pong, bytes: writer.finish()))]
        case MessageType.sync:
            return receiveSync(from: session, envelope: envelope, text: text)
        case MessageType.authRefresh:
            return receiveRefresh(from: session, envelope: envelope, text: text)
        default:
            let data = envelope.data.map { Envelope.decode($0, in: text).objectValue ?? [:] } ?? [:]
            return [.plugin(PluginCall(session: session, type: envelope.type, id: envelope.id, data: data))]
        }
    }

    func reply(to session: Session, _ message: Outgoing) -> Effect {
        .send(message, to: .session(session))
    }

    // MARK: sync

    private static let syncFields: Set<String> = ["since", "epoch"]
    private static let maxEpochLength = 64

    /// Validates `since` (a non-negative integer, required) and `epoch`
    /// (1–64 of `[A-Za-z0-9_-]`, optional); the replay is the server's.
    private func receiveSync(from session: Session, envelope: Envelope, text: UnsafeRawBufferPointer) -> [Effect] {
        let fields = DataFields(text: text, data: envelope.data)
        var problems = fields.unknownNames(allowed: Self.syncFields).map(ValidationProblem.notAllowed)
        var since = 0
        switch fields.value("since") {
        case nil, .null?:
            problems.append(.required("since"))
        case .int(let value)? where value >= 0:
            since = value
        case .int?:
            problems.append(ValidationProblem(field: "since", problem: .outOfRange, explanation: "since must not be negative"))
        default:
            problems.append(.wrongType("since", expected: "a non-negative integer"))
        }
        var epoch: String?
        switch fields.value("epoch") {
        case nil, .null?:
            break
        case .string(let value)? where Self.isValidEpoch(value):
            epoch = value
        case .string?:
            problems.append(ValidationProblem(field: "epoch", problem: .invalidFormat, explanation: "epoch must be 1-64 characters of A-Z, a-z, 0-9, _ and -"))
        default:
            problems.append(.wrongType("epoch", expected: "a string"))
        }
        guard problems.isEmpty else { return [reply(to: session, validationFailed(problems, id: envelope.id))] }
        return [.sync(SyncRequest(session: session, since: since, epoch: epoch, id: envelope.id))]
    }

    private static func isValidEpoch(_ epoch: String) -> Bool {
        let scalars = epoch.unicodeScalars
        return (1...maxEpochLength).contains(scalars.count) && scalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-")
        }
    }
}
