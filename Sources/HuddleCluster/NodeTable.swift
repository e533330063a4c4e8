/// The other nodes this node has heard of: their incarnation (which changes
/// each time a node reconnects to Redis and re-announces itself) and when
/// they were last heard (this node's monotonic clock).
struct NodeTable {
    struct Entry {
        var incarnation: String
        var lastHeardMs: UInt64
        /// Said `bye`, or stayed silent past the TTL: its connected sessions are gone.
        var isDown = false
    }

    private(set) var entries: [String: Entry] = [:]

    /// Records a sign of life; returns the previous incarnation when it
    /// changed (the node re-announced itself), or `nil`.
    mutating func heard(_ node: String, incarnation: String?, at nowMs: UInt64) -> (changed: Bool, wasDown: Bool) {
        guard var entry = entries[node] else {
            entries[node] = Entry(incarnation: incarnation ?? "", lastHeardMs: nowMs)
            return (false, false)
        }
        let wasDown = entry.isDown
        var changed = false
        if let incarnation, incarnation != entry.incarnation {
            changed = !entry.incarnation.isEmpty
            entry.incarnation = incarnation
        }
        entry.lastHeardMs = nowMs
        entry.isDown = false
        entries[node] = entry
        return (changed, wasDown)
    }

    mutating func markDown(_ node: String) {
        entries[node]?.isDown = true
    }

    /// Nodes silent for longer than `ttlMs` and not yet marked down.
    func silent(since nowMs: UInt64, ttlMs: UInt64) -> [String] {
        entries.compactMap { node, entry in
            !entry.isDown && nowMs > entry.lastHeardMs + ttlMs ? node : nil
        }
    }

    /// After this node's own outage it heard nothing: nobody is judged on that silence.
    mutating func forgiveSilence(at nowMs: UInt64) {
        for node in entries.keys { entries[node]?.lastHeardMs = nowMs }
    }

    func incarnation(of node: String) -> String? { entries[node]?.incarnation }

    func isDown(_ node: String) -> Bool { entries[node]?.isDown ?? false }
}
