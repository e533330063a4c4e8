/// Random identifiers the server makes.
enum SessionIDs {
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    static let guestSuffixLength = 4

    /// Dev mode without `?user=`: `guest-XXXX`.
    static func guestUser() -> String {
        "guest-" + String((0..<guestSuffixLength).map { _ in alphabet.randomElement()! })
    }
}
