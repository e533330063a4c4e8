import Foundation

/// The kernel's TCP counters that say a listen queue overflowed: a storm
/// that fills the server's accept backlog has its SYNs dropped, and each
/// client waits a retransmission timeout (1 s, then 2 s more, ...) that
/// neither process's CPU shows. Read from /proc/net/netstat; they count for
/// the whole network namespace, so other traffic on the machine adds to them.
public struct ListenQueueCounters: Sendable, Equatable {
    public var listenOverflows: Int
    public var listenDrops: Int
    public var synRetransmits: Int

    public static func read() -> ListenQueueCounters? {
        (try? String(contentsOfFile: "/proc/net/netstat", encoding: .utf8)).flatMap(parse)
    }

    /// `TcpExt:` comes as a line of names followed by a line of values.
    static func parse(_ text: String) -> ListenQueueCounters? {
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("TcpExt:") }
        guard lines.count >= 2 else { return nil }
        let names = lines[0].split(separator: " ").dropFirst()
        let values = lines[1].split(separator: " ").dropFirst().map { Int($0) }
        let table = Dictionary(zip(names, values), uniquingKeysWith: { first, _ in first })
        guard let overflows = table["ListenOverflows"] ?? nil, let drops = table["ListenDrops"] ?? nil,
              let retransmits = table["TCPSynRetrans"] ?? nil else { return nil }
        return ListenQueueCounters(listenOverflows: overflows, listenDrops: drops, synRetransmits: retransmits)
    }

    static func - (after: ListenQueueCounters, before: ListenQueueCounters) -> ListenQueueCounters {
        ListenQueueCounters(listenOverflows: after.listenOverflows - before.listenOverflows,
                            listenDrops: after.listenDrops - before.listenDrops,
                            synRetransmits: after.synRetransmits - before.synRetransmits)
    }
}
