import Foundation

/// How many sessions fit in the descriptors of this process and the server:
/// each session holds a socket on both sides, and neither limit can be
/// raised past its hard limit without privileges.
public struct DescriptorBudget: Sendable, Equatable {
    /// Descriptors left for everything that is not a session (the loop, logs,
    /// storage, a storm's reconnects racing its drops).
    public static let margin = 64

    /// The soft limit that binds, and whose it is.
    public let limit: Int
    public let owner: String

    public init(limit: Int, owner: String) {
        self.limit = limit
        self.owner = owner
    }

    /// The smaller of this process's limit (soft raised to hard first) and
    /// the servers' ("Max open files" in /proc/PID/limits); nil if none is known.
    public static func current(serverPIDs: [Int32]) -> DescriptorBudget? {
        var budgets: [DescriptorBudget] = []
        if let own = raiseOwnLimit() { budgets.append(DescriptorBudget(limit: own, owner: "this process")) }
        for pid in serverPIDs {
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8),
                  let limit = openFilesLimit(inLimits: text) else { continue }
            budgets.append(DescriptorBudget(limit: limit, owner: "server \(pid)"))
        }
        return budgets.min { $0.limit < $1.limit }
    }

    /// Raises this process's soft `RLIMIT_NOFILE` to its hard limit; returns
    /// the soft limit in force afterwards.
    static func raiseOwnLimit() -> Int? {
        var limits = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits) == 0 else { return nil }
        if limits.rlim_cur < limits.rlim_max {
            var raised = limits
            raised.rlim_cur = limits.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limits = raised }
        }
        return limits.rlim_cur >= rlim_t(Int.max) ? Int.max : Int(limits.rlim_cur)
    }

    /// The soft limit of the "Max open files" line of a /proc/PID/limits text.
    static func openFilesLimit(inLimits text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix("Max open files") {
            let fields = line.dropFirst("Max open files".count).split(separator: " ")
            guard let soft = fields.first else { return nil }
            return soft == "unlimited" ? Int.max : Int(soft)
        }
        return nil
    }

    /// The most sessions per workspace, at most `wanted`, whose sockets fit
    /// in the limit with the margin to spare.
    public func sessionsPerWorkspace(wanted: Int, workspaces: Int) -> Int {
        guard limit != Int.max else { return wanted }
        return max(0, min(wanted, (limit - Self.margin) / max(1, workspaces)))
    }

    /// The line that says a run was made smaller, and why; nil if it was not.
    public func reductionNote(wanted: Int, workspaces: Int) -> String? {
        let fitting = sessionsPerWorkspace(wanted: wanted, workspaces: workspaces)
        guard fitting < wanted else { return nil }
        return "fd limit \(Self.grouped(limit)) (\(owner)): \(workspaces) × \(fitting) = \(Self.grouped(workspaces * fitting)) sessions, "
            + "not \(workspaces) × \(wanted) = \(Self.grouped(workspaces * wanted)): each session takes a descriptor here "
            + "and one in the server, and \(Self.margin) are kept for the rest"
    }

    /// 19800 → "19,800".
    static func grouped(_ value: Int) -> String {
        let digits = String(value)
        var result = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }
}
