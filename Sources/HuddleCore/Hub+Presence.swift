import HuddleJSON

extension Hub {
    private static let presenceFields: Set<String> = ["status", "focus", "meta"]

    // MARK: presence.set

    /// Applies `presence.set`; a change goes to every connected session, the
    /// sender's included, and no change sends nothing. `meta: null` resets it to `{}`.
    func setPresence(of session: Session, envelope: Envelope, text: UnsafeRawBufferPointer) -> [Effect] {
        let fields = DataFields(text: text, data: envelope.data)
        var problems = fields.unknownNames(allowed: Self.presenceFields).map(ValidationProblem.notAllowed)
        var status = session.status, focus = session.focus, meta = session.meta

        switch fields.value("status") {
        case nil:
            break
        case .string(let value)?:
            if let parsed = PresenceStatus(rawValue: value) {
                status = parsed
            } else {
                let allowed = PresenceStatus.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append(ValidationProblem(field: "status", problem: .invalidFormat, explanation: "status must be one of \(allowed)"))
            }
        default:
            problems.append(.wrongType("status", expected: "a string"))
        }

        switch fields.value("focus") {
        case nil:
            break
        case .null?:
            focus = nil
        case .string(let value)?:
            if value.unicodeScalars.count > config.maxFocusLength {
                problems.append(ValidationProblem(field: "focus", problem: .tooLong, explanation: "focus must be at most \(config.maxFocusLength) characters"))
            } else {
                focus = value
            }
        default:
            problems.append(.wrongType("focus", expected: "a string or null"))
        }

        // Measured before decoding, so an oversized meta is never decoded.
        let metaTooLarge = fields.byteCount("meta") > config.maxMetaBytes
        if fields.contains("meta"), !metaTooLarge {
            switch fields.value("meta") {
            case .null?: meta = .object([:])
            case .object(let members)?: meta = .object(members)
            default: problems.append(.wrongType("meta", expected: "an object"))
            }
        }

        guard problems.isEmpty else { return [reply(to: session, validationFailed(problems, id: envelope.id))] }
        if metaTooLarge { return [reply(to: session, tooLarge(field: "meta", limit: config.maxMetaBytes, id: envelope.id))] }
        guard status != session.status || focus != session.focus || meta != session.meta else { return [] }

        session.status = status
        session.focus = focus
        session.meta = meta
        var effects = [Effect.send(updateMessage(for: session), to: .workspace(session.workspace))]
        if config.clustered { effects.append(.cluster(.updated(session))) }
        return effects
    }

    // MARK: Presence messages

    func joinMessage(for session: Session, userSessions: Int) -> Outgoing {
        var writer = MessageWriter(type: MessageType.presenceJoin)
        writer.string("user", session.identity.userID)
        writer.string("name", session.identity.name)
        writer.string("session", session.id)
        writePresenceState(of: session, into: &writer)
        writer.int("sessions", userSessions)
        writer.timestamp("since", unixMs: session.joinedAtUnixMs)
        return Outgoing(type: MessageType.presenceJoin, bytes: writer.finish(), delivery: .batched)
    }

    func updateMessage(for session: Session) -> Outgoing {
        var writer = MessageWriter(type: MessageType.presenceUpdate)
        writer.string("user", session.identity.userID)
        writer.string("session", session.id)
        writePresenceState(of: session, into: &writer)
        return Outgoing(type: MessageType.presenceUpdate, bytes: writer.finish(), delivery: .batched)
    }

    func leaveMessage(for session: Session, userSessions: Int, reason: LeaveReason) -> Outgoing {
        var writer = MessageWriter(type: MessageType.presenceLeave)
        writer.string("user", session.identity.userID)
        writer.string("session", session.id)
        writer.int("sessions", userSessions)
        writer.string("reason", reason.rawValue)
        return Outgoing(type: MessageType.presenceLeave, bytes: writer.finish(), delivery: .batched)
    }

    private func writePresenceState(of session: Session, into writer: inout MessageWriter) {
        writer.string("status", session.status.rawValue)
        writer.string("focus", session.focus)
        writer.value("meta", session.meta)
    }

    // MARK: Snapshots

    /// The welcome message (PROTOCOL.md §3) for a session just connected;
    /// `seq`, `epoch` and `plugins` come from the server.
    public func welcome(for session: Session, resumed: Bool, seq: Int, epoch: String?, plugins: JSONValue) -> Outgoing {
        let workspace = session.workspace
        var writer = MessageWriter(type: MessageType.welcome, capacity: 512)
        writer.int("protocol", protocolVersion)
        writer.string("session", session.id)
        writer.bool("resumed", resumed)
        writer.value("user", [
            "id": .string(session.identity.userID), "name": .string(session.identity.name), "role": .string(session.identity.role),
        ])
        writer.string("workspace", workspace.id)
        writer.int("seq", seq)
        writer.string("epoch", epoch)
        writer.int("heartbeat_ms", config.heartbeatMs)
        // Clients pace typing refreshes and cursor sends by these rather than guess the defaults.
        writer.int("typing_ttl_ms", config.typingTTLMs)
        writer.int("cursor_max_hz", config.cursorMaxHz)
        writePresenceUsers(of: workspace, as: "presence", into: &writer)
        writer.value("typing", typingSnapshot(of: workspace))
        writer.value("plugins", plugins)
        return Outgoing(type: MessageType.welcome, bytes: writer.finish())
    }

    /// `{"workspace":…,"count":<users>,"users":[…as in welcome…]}` for
    /// `GET /api/workspaces/{ws}/presence`; no users for an unknown workspace.
    public func presenceDocument(workspace id: String) -> [UInt8] {
        var writer = MessageWriter()
        writer.string("workspace", id)
        let workspace = workspace(id)
        writer.int("count", workspace?.users.count ?? 0)
        writePresenceUsers(of: workspace, as: "users", into: &writer)
        return writer.finish()
    }

    /// Every user with a session (grace included, every node's), ordered by
    /// user id, each with their sessions in join order (`since`, then id),
    /// so every node of a cluster writes the same list.
    private func writePresenceUsers(of workspace: Workspace?, as key: String, into writer: inout MessageWriter) {
        writer.objects(key, workspace?.users ?? []) { writer, sessions in
            writer.string("user", sessions.userID)
            writer.string("name", sessions.latestName)
            writer.objects("sessions", sessions) { writer, session in
                writer.string("session", session.id)
                writePresenceState(of: session, into: &writer)
                writer.timestamp("since", unixMs: session.joinedAtUnixMs)
            }
        }
    }
}
