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

    /// VmRSS of `pid` in bytes; nil if unreadable.
    public static func residentBytes(pid: Int32) -> UInt64? {
        memory(pid: pid)?.residentBytes
    }

    /// VmRSS and RssAnon of `pid`, from /proc/PID/status; nil if unreadable.
    public static func memory(pid: Int32) -> MemoryReading? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        var fields: [Substring: UInt64] = [:]
        for line in status.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "\t" })
            guard parts.count >= 2, let kibibytes = UInt64(parts[1]) else { continue }
            fields[parts[0]] = kibibytes * 1024
        }
        guard let resident = fields["VmRSS"], let anonymous = fields["RssAnon"] else { return nil }
        return MemoryReading(residentBytes: resident, anonymousBytes: anonymous)
    }

    /// The summed memory of `pids`; nil if there are none or one is unreadable.
    public static func memory(pids: [Int32]) -> MemoryReading? {
        let readings = pids.map(memory)
        guard !readings.isEmpty, !readings.contains(where: { $0 == nil }) else { return nil }
        return readings.reduce(MemoryReading(residentBytes: 0, anonymousBytes: 0)) {
            MemoryReading(residentBytes: $0.residentBytes + $1!.residentBytes, anonymousBytes: $0.anonymousBytes + $1!.anonymousBytes)
        }
    }
}

/// What a process holds in memory.
public struct MemoryReading: Sendable, Equatable {
    /// VmRSS: every resident page, including shared library code, which the
    /// first sessions page in once, however many follow.
    public var residentBytes: UInt64
    /// RssAnon: the process's own pages (heap, stacks), without that code.
    public var anonymousBytes: UInt64
}
