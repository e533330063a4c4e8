import Foundation

/// A statement parameter, sent to PostgreSQL as text.
enum PGValue {
    case int(Int)
    case text(String)
    /// UTF-8 text already encoded, such as a JSON document.
    case utf8([UInt8])
    case null

    /// A `malloc`ed NUL-terminated copy for libpq (`nil` for SQL NULL); the caller frees it.
    func cString() -> UnsafeMutablePointer<CChar>? {
        switch self {
        case .null:
            return nil
        case .int(let value):
            return strdup(String(value))
        case .text(let text):
            return strdup(text)
        case .utf8(let bytes):
            let copy = malloc(bytes.count + 1)!.assumingMemoryBound(to: CChar.self)
            bytes.withUnsafeBytes { if let source = $0.baseAddress { UnsafeMutableRawPointer(copy).copyMemory(from: source, byteCount: bytes.count) } }
            copy[bytes.count] = 0
            return copy
        }
    }
}
