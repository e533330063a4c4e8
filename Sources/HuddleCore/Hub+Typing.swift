import HuddleJSON

extension Hub {
    private static let typingFields: Set<String> = ["target", "active"]

    // MARK: Client typing

    func receiveTyping(from session: Session, envelope: Envelope, text: UnsafeRawBufferPointer, now: Now) -> [Effect] {
        let fields = DataFields(text: text, data: envelope.data)
        var problems = fields.unknownNames(allowed: Self.typingFields).map(ValidationProblem.notAllowed)
        var target = ""
        switch fields.value("target") {
        case nil, .null?:
            problems.append(.required("target"))
        case .string(let value)?:
            let length = value.unicodeScalars.count
            if length == 0 {
                problems.append(ValidationProblem(field: "target", problem: .tooShort, explanation: "target must not be empty"))
            } else if length > config.maxTargetLength {
                problems.append(ValidationProblem(field: "target", problem: .tooLong, explanation: "target must be at most \(config.maxTargetLength) characters"))
            }
            target = value
        default:
            problems.append(.wrongType("target", expected: "a string"))
        }
        var active = false
        switch fields.value("active") {
        case nil, .null?: problems.append(.required("active"))
        case .bool(let value)?: active = value
        default: problems.append(.wrongType("active", expected: "true or false"))
        }
        guard problems.isEmpty else { return [reply(to: session, validationFailed(problems, id: envelope.id))] }

        return active
            ? startTyping(session, target: target, id: envelope.id, now: now)
            : stopTyping(session, target: target)
    }

    /// A new target is announced; a known one only has its timer refreshed.
    private func startTyping(_ session: Session, target: String, id: JSONValue?, now: Now) -> [Effect] {
        // Targets past their TTL whose deadline has not fired yet expire first,
        // so neither a refresh nor the target limit sees them.
        var effects: [Effect] = []
        expireOverdueTyping(of: session, now: now, into: &effects)
        let expiresAt = now.monotonicMs + UInt64(config.typingTTLMs)
        if let index = session.typing.firstIndex(where: { $0.target == target }) {
            session.typing[index].expiresAt = expiresAt
            return effects
        }
        if session.typing.count >= config.typingMaxTargets {
            let earliest = session.typing.map(\.expiresAt).min() ?? expiresAt
            let message = "at most \(config.typingMaxTargets) typing targets at once"
            effects.append(reply(to: session, rateLimited(id: id, retryAfterMs: Int(earliest.elapsed(since: now.monotonicMs)), message: message,
                                                          details: [("target", "too_many")])))
            return effects
        }
        let typing = TypingTarget(target: target, expiresAt: expiresAt, generation: nextGeneration())
        session.typing.append(typing)
        deadlines.push(.typingExpiry(session, generation: typing.generation), at: expiresAt)
        announceTyping(of: session, target: target, stop: nil, into: &effects)
        return effects
    }

    /// Announced once; a duplicate stop sends nothing.
    private func stopTyping(_ session: Session, target: String) -> [Effect] {
        guard let index = session.typing.firstIndex(where: { $0.target == target }) else { return [] }
        session.typing.remove(at: index)
        var effects: [Effect] = []
        announceTyping(of: session, target: target, stop: .stopped, into: &effects)
        return effects
    }

    // MARK: Server-side stops

    func expireTyping(of session: Session, generation: UInt64, into effects: inout [Effect]) {
        guard let index = session.typing.firstIndex(where: { $0.generation == generation }) else { return }
        let typing = session.typing.remove(at: index)
        announceTyping(of: session, target: typing.target, stop: .expired, into: &effects)
    }

    private func expireOverdueTyping(of session: Session, now: Now, into effects: inout [Effect]) {
        for typing in session.typing where typing.expiresAt <= now.monotonicMs {
            expireTyping(of: session, generation: typing.generation, into: &effects)
        }
    }

    /// The session ended (grace or not): everything it typed stops at once.
    func stopAllTyping(of session: Session, into effects: inout [Effect]) {
        for typing in session.typing {
            announceTyping(of: session, target: typing.target, stop: .left, into: &effects)
        }
        session.typing.removeAll()
    }

    /// What the workspace's sessions (this node's and the others') are typing, for `welcome`.
    func typingSnapshot(of workspace: Workspace) -> JSONValue {
        var entries: [JSONValue] = []
        for sessions in workspace.users {
            for session in sessions {
                for typing in session.typing {
                    entries.append(["user": .string(session.identity.userID), "session": .string(session.id),
                                    "target": .string(typing.target)])
                }
            }
        }
        return .array(entries)
    }

    // MARK: Messages

    /// To this node's other sessions, and to the other nodes for a session of this node.
    func announceTyping(of session: Session, target: String, stop: TypingStopReason?, into effects: inout [Effect]) {
        effects.append(relay(typingMessage(session, target: target, stop: stop), from: session))
        if config.clustered && !session.isRemote {
            effects.append(.cluster(.typing(session, target: target, stop: stop)))
        }
    }

    /// `stop: nil` announces `active:true`.
    func typingMessage(_ session: Session, target: String, stop: TypingStopReason?) -> Outgoing {
        var writer = MessageWriter(type: MessageType.typing)
        writer.string("user", session.identity.userID)
        writer.string("name", session.identity.name)
        writer.string("session", session.id)
        writer.string("target", target)
        writer.bool("active", stop == nil)
        if let stop { writer.string("reason", stop.rawValue) }
        return Outgoing(type: MessageType.typing, bytes: writer.finish(), delivery: .droppable)
    }

    /// To every other connected session of the sender's workspace (all of
    /// this node's, for another node's session).
    func relay(_ message: Outgoing, from session: Session) -> Effect {
        session.isRemote ? .send(message, to: .workspace(session.workspace)) : .send(message, to: .workspaceExcept(session.workspace, session))
    }
}
