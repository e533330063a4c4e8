/// One message between nodes, as published on Redis: a kind byte, the
/// sending node's id, a newline, then the body. Cursor and event bodies are
/// the client-facing bytes themselves, so a relay crosses without being
/// decoded or re-encoded; presence bodies are small JSON objects.
struct ClusterMessage {
    enum Kind: UInt8 {
        /// A session's whole state (join, resume, update, grace): `RemoteSession` JSON.
        case session = 0x53 // S
        /// `{"id","reason"}`.
        case left = 0x4C // L
        /// `{"id","target","stop"}` (`stop` null while typing).
        case typing = 0x54 // T
        /// The cursor relay message, as sessions receive it.
        case cursor = 0x43 // C
        /// `<seq>\n` and the durable event message, as sessions receive it.
        case event = 0x45 // E
        /// A server API broadcast (`app.<name>`), as sessions receive it.
        case app = 0x41 // A
        /// `{"sessions":[…]}`: everything the node has in the workspace.
        case snapshot = 0x52 // R
        /// On the nodes channel: `{"incarnation"}`, every `node_ttl_ms / 4`.
        case heartbeat = 0x48 // H
        /// On the nodes channel: the node is shutting down.
        case bye = 0x42 // B
        /// On the nodes channel: `{"user","workspace"}` (workspace null: all):
        /// the server API removed the user; every node closes its sessions.
        case removeUser = 0x44 // D
    }

    let kind: Kind
    let node: String
    let body: UnsafeRawBufferPointer

    static func encode(_ kind: Kind, node: String, body: some Collection<UInt8>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(node.utf8.count + body.count + 2)
        bytes.append(kind.rawValue)
        bytes.append(contentsOf: node.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: body)
        return bytes
    }

    /// `nil` for bytes that are not a message of this protocol.
    static func decode(_ payload: UnsafeRawBufferPointer) -> ClusterMessage? {
        guard let first = payload.first, let kind = Kind(rawValue: first),
              let newline = payload.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let node = String(decoding: UnsafeRawBufferPointer(rebasing: payload[1..<newline]), as: UTF8.self)
        return ClusterMessage(kind: kind, node: node, body: UnsafeRawBufferPointer(rebasing: payload[(newline + 1)...]))
    }
}
