import Foundation

extension ProcessUsage {
    /// VmHWM of `pid` in bytes, from /proc/PID/status: the highest RSS the
    /// process has had since it started; nil if unreadable.
    public static func peakResidentBytes(pid: Int32) -> UInt64? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kibibytes = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap({ UInt64($0) })
        else { return nil }
        return kibibytes * 1024
    }

    /// The sum of `reading` over `pids`; nil if there are none or one is unreadable.
    static func sum(of reading: (Int32) -> UInt64?, over pids: [Int32]) -> UInt64? {
        let readings = pids.map(reading)
        guard !readings.isEmpty, !readings.contains(nil) else { return nil }
        return readings.reduce(0) { $0 + $1! }
    }
}
