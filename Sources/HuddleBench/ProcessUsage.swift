import Foundation

/// CPU time and resident memory of this process (getrusage) and of another
/// process on the same machine (Linux /proc).
public enum ProcessUsage {
    /// This process's user + system CPU time in microseconds.
    public static func ownCPUMicros() -> UInt64 {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return micros(usage.ru_utime) + micros(usage.ru_stime)
    }

    private static func micros(_ time: timeval) -> UInt64 {
        UInt64(time.tv_sec) * 1_000_000 + UInt64(time.tv_usec)
    }

    /// utime + stime of `pid` in microseconds, from /proc/PID/stat; nil if
    /// the process cannot be read.
    public static func cpuMicros(pid: Int32) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let commandEnd = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name start at field 3 (state); utime and
        // stime are fields 14 and 15.
        let fields = stat[stat.index(after: commandEnd)...].split(separator: " ")
        let utimeIndex = 14 - 3, stimeIndex = 15 - 3
        guard fields.count > stimeIndex,
              let utime = UInt64(fields[utimeIndex]), let stime = UInt64(fields[stimeIndex]) else { return nil }
        let ticksPerSecond = UInt64(sysconf(Int32(_SC_CLK_TCK)))
        return (utime + stime) * 1_000_000 / ticksPerSecond
    }

    /// VmRSS of `pid` in bytes, from /proc/PID/status; nil if unreadable.
    public static func residentBytes(pid: Int32) -> UInt64? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kibibytes = line.dropFirst("VmRSS:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { UInt64($0) }
            return kibibytes.map { $0 * 1024 }
        }
        return nil
    }

    /// The summed VmRSS of `pids`; nil if there are none or one is unreadable.
    public static func residentBytes(pids: [Int32]) -> UInt64? {
        let readings = pids.map(residentBytes)
        guard !readings.isEmpty, !readings.contains(nil) else { return nil }
        return readings.reduce(0) { $0 + $1! }
    }
}
