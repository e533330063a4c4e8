/// ISO-8601 UTC timestamps with milliseconds (`2026-11-22T10:00:00.000Z`).
///
/// Computed from the civil calendar directly rather than through Foundation's
/// formatters, which are slow and allocate on every call.
public enum ISOTimestamp {
    private static let msPerDay: Int64 = 86_400_000

    public static func string(unixMs: Int64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length)
        append(unixMs: unixMs, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, for the years 0–9999.
    static let length = 24

    /// Writes the timestamp's characters into `bytes`: a welcome writes one
    /// per session listed, and a String for each was a tenth of a storm's time.
    public static func append(unixMs: Int64, to bytes: inout [UInt8]) {
        let days = floorDivide(unixMs, msPerDay)
        let msOfDay = unixMs - days * msPerDay
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        appendDigits(year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(day, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(msOfDay / 3_600_000, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(msOfDay / 60_000 % 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(msOfDay / 1000 % 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        appendDigits(msOfDay % 1000, width: 3, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// Howard Hinnant's `civil_from_days`: proleptic Gregorian date of a day count.
    private static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }

    /// `value` in decimal, zero-padded to `width` digits (wider if it needs
    /// more), without an intermediate string. Negative values (years before
    /// 0) are written as 0.
    private static func appendDigits(_ value: Int64, width: Int, to bytes: inout [UInt8]) {
        let value = max(value, 0)
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        while value / divisor >= 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
