/// Session ids: `s_` followed by random base62, long enough that one cannot
/// be guessed (a session id is half of what resumes a session).
public enum SessionID {
    public static let prefix = "s_"
    /// 13 base62 characters: about 77 random bits, above the 64 that OWASP
    /// asks of a session id. With the prefix the id is 15 bytes, which a Swift
    /// string keeps inline: one heap allocation fewer per session.
    public static let randomLength = 13
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// A fresh id from the system's secure random generator.
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = Array(prefix.utf8)
        for _ in 0..<randomLength {
            bytes.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
