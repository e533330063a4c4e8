import HuddleJSON

/// Tokens that run out while connected: `auth.expiring` ahead of `exp`, a
/// refresh that moves `exp` and applies the new role, and a close with 4001
/// when `exp` passes unrefreshed. Times come in as Unix ms (a token's claim)
/// and become deadlines on the monotonic clock.
extension Hub {
    /// How long before `exp` a session is told to refresh.
    public static let tokenWarningMs: UInt64 = 60_000

    /// (Re-)arms the deadlines of the session's current token; a token with
    /// less than the warning time left is warned at once.
    func armTokenExpiry(of session: Session, now: Now, into effects: inout [Effect]) {
        guard let expUnixMs = session.identity.tokenExpiresAtUnixMs else {
            session.tokenDeadlines = nil
            return
        }
        let left = UInt64(max(0, expUnixMs - now.unixMs))
        let expiresAt = now.monotonicMs + left
        let warnAt = left > Self.tokenWarningMs ? expiresAt - Self.tokenWarningMs : now.monotonicMs
        let generation = nextGeneration()
        session.tokenDeadlines = TokenDeadlines(warnAt: warnAt, expiresAt: expiresAt, generation: generation)
        if warnAt <= now.monotonicMs {
            warnTokenExpiring(session, now: now, into: &effects)
        } else {
            deadlines.push(.tokenExpiring(session, generation: generation), at: warnAt)
        }
        deadlines.push(.tokenExpiry(session, generation: generation), at: expiresAt)
    }

    func warnTokenExpiring(_ session: Session, now: Now, into effects: inout [Effect]) {
        guard session.isConnected, let token = session.tokenDeadlines, token.warnAt != nil else { return }
        session.tokenDeadlines?.warnAt = nil
        var writer = MessageWriter(type: MessageType.authExpiring)
        writer.int("in_ms", Int(token.expiresAt > now.monotonicMs ? token.expiresAt - now.monotonicMs : 0))
        effects.append(reply(to: session, Outgoing(type: MessageType.authExpiring, bytes: writer.finish())))
    }

    /// The token ran out: the session leaves (typing cleared, reason `expired`) and is closed 4001.
    func expireToken(of session: Session, into effects: inout [Effect]) {
        guard session.isConnected else { return }
        session.tokenDeadlines = nil
        leave(session, reason: .expired, into: &effects)
        effects.append(.close(session, code: CoreCloseCode.tokenExpired, reason: "token_expired"))
    }

    /// `auth.refresh`: `data.token` is required; the server verifies it.
    func receiveRefresh(from session: Session, envelope: Envelope, text: UnsafeRawBufferPointer) -> [Effect] {
        let fields = DataFields(text: text, data: envelope.data)
        if let unknown = fields.unknownNames(allowed: ["token"]).first {
            return [reply(to: session, validationFailed([.notAllowed(unknown)], id: envelope.id))]
        }
        guard let token = fields.value("token")?.stringValue, !token.isEmpty else {
            return [reply(to: session, validationFailed([.required("token")], id: envelope.id))]
        }
        return [.refreshToken(TokenRefresh(session: session, id: envelope.id, token: token))]
    }

    /// A refresh the server verified (same user, workspace still allowed):
    /// the new role applies to every later request, the deadlines move to
    /// the new `exp`, and the `ack` carries it (Unix seconds, `null` for none).
    /// The other nodes of a cluster learn a new role or name, which their
    /// session lists show.
    public func tokenRefreshed(_ session: Session, id: JSONValue?, identity: Identity, now: Now) -> [Effect] {
        guard session.isConnected, identity.userID == session.identity.userID else { return [] }
        let shownChanged = identity.role != session.identity.role || identity.name != session.identity.name
        session.identity = identity
        var effects: [Effect] = []
        if config.clustered && shownChanged { effects.append(.cluster(.updated(session))) }
        var writer = MessageWriter(type: "ack")
        writer.valueIfPresent("id", id)
        writer.value("exp", identity.tokenExpiresAtUnixMs.map { .int(Int($0 / 1000)) } ?? .null)
        effects.append(reply(to: session, Outgoing(type: "ack", bytes: writer.finish())))
        armTokenExpiry(of: session, now: now, into: &effects)
        return effects
    }
}
