import HuddleJSON

extension Hub {
    /// Relays the client's `data` bytes verbatim (never decoded), throttled
    /// to one relay per cursor window.
    func receiveCursor(from session: Session, envelope: Envelope, text: UnsafeRawBufferPointer, now: Now) -> [Effect] {
        guard let data = envelope.data else {
            return [reply(to: session, validationFailed([.required("data")], id: envelope.id))]
        }
        guard data.count <= config.maxCursorDataBytes else {
            return [reply(to: session, tooLarge(field: "data", limit: config.maxCursorDataBytes, id: envelope.id))]
        }
        let cursor = session.cursorThrottle()
        var writer = MessageWriter(prefix: cursor.prefix, extra: data.count + 16)
        writer.raw("data", UnsafeRawBufferPointer(rebasing: text[data]))
        let message = Outgoing(type: MessageType.cursor, bytes: writer.finish(), delivery: .droppable)

        switch cursor.admit(message, at: now.monotonicMs, windowMs: config.cursorWindowMs) {
        case .relayNow:
            var effects: [Effect] = []
            relayCursor(message, of: session, into: &effects)
            return effects
        case .held(armAt: let windowEnd?):
            cursor.armedGeneration = nextGeneration()
            deadlines.push(.cursorWindowEnd(session, generation: cursor.armedGeneration), at: windowEnd)
            return []
        case .held(armAt: nil):
            return []
        }
    }

    /// A window closed with a cursor kept in it: relay it, opening the next window.
    func relayTrailingCursor(of session: Session, now: Now, into effects: inout [Effect]) {
        guard let message = session.cursor?.closeWindow(at: now.monotonicMs, windowMs: config.cursorWindowMs) else { return }
        relayCursor(message, of: session, into: &effects)
    }

    /// Throttled here, before it crosses to the other nodes.
    private func relayCursor(_ message: Outgoing, of session: Session, into effects: inout [Effect]) {
        effects.append(relay(message, from: session))
        if config.clustered { effects.append(.cluster(.cursor(session.workspace, message))) }
    }
}
