#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Random URL-safe identifiers and the timestamps the store stamps on events.
enum Identifiers {
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
    /// 16 base62 characters carry about 95 random bits: collisions never happen in practice.
    static let recordIDLength = 16
    static let epochRandomLength = 10

    static func base62(count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String(decoding: (0..<count).map { _ in alphabet.randomElement(using: &generator)! }, as: UTF8.self)
    }

    static func newRecordID() -> String { base62(count: recordIDLength) }

    /// A new epoch, `e_` + random base62: made once per database file.
    static func newEpoch() -> String { "e_" + base62(count: epochRandomLength) }

    /// The current time as ISO-8601 UTC with milliseconds, e.g. `2026-11-22T10:00:01.234Z`.
    static func timestampNow() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return timestamp(seconds: now.tv_sec, milliseconds: Int(now.tv_nsec) / 1_000_000)
    }

    static func timestamp(seconds: time_t, milliseconds: Int) -> String {
        var seconds = seconds
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func padded(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(parts.tm_year + 1900, 4))-\(padded(parts.tm_mon + 1, 2))-\(padded(parts.tm_mday, 2))T"
            + "\(padded(parts.tm_hour, 2)):\(padded(parts.tm_min, 2)):\(padded(parts.tm_sec, 2)).\(padded(Int32(milliseconds), 3))Z"
    }
}
