/// Session ids: `s_` followed by random base62, long enough that one cannot
/// be guessed (a session id is half of what resumes a session).
public enum SessionID {
    public static let prefix = "s_"
    /// 13 base62 characters: about 77 random bits, above the 64 that OWASP
    /// asks of a session id. With the prefix the id is 15 bytes, which a Swift
    /// string keeps inline: one heap allocation fewer per session.
    public static let randomLength = 13
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// Base62 digits taken from one 64-bit draw: 62^8 divides 2^64 to within
    /// 1 part in 80,000, so the digits are uniform to that.
    private static let digitsPerDraw = 8

    /// A fresh id from the system's secure random generator: two draws (a
    /// system call each) rather than one per character.
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = Array(prefix.utf8)
        var draw: UInt64 = 0
        for index in 0..<randomLength {
            if index % digitsPerDraw == 0 { draw = generator.next() }
            bytes.append(alphabet[Int(draw % UInt64(alphabet.count))])
            draw /= UInt64(alphabet.count)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
