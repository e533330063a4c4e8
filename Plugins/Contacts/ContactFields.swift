import HuddlePluginKit

/// The fields of a contact and the rules they follow (docs/protocol.md, "contacts").
enum ContactFields {
    static let name = StringRule("name", length: 1...200, required: true)
    /// No lower bound of its own: an empty address fails the format check,
    /// which says more than `too_short` would.
    static let email = StringRule("email", length: 0...254, format: isEmailAddress)
    static let phone = StringRule("phone", length: 1...40, format: isPhoneNumber)
    static let company = StringRule("company", length: 1...200)
    /// Tags are a set in spirit: a repeated tag is `duplicate` rather than
    /// silently dropped, so what the client sent is what is stored. Tags are
    /// compared exactly (`VIP` and `vip` are two tags).
    static let tags = StringListRule("tags", maxCount: 20, elementLength: 1...40)

    /// The string fields that `required_fields` may make required, besides
    /// `name`, which always is.
    static let optionalStrings = [email, phone, company]

    /// Every field a contact's `data` or `changes` may name.
    static let all: Set<String> = Set(([name] + optionalStrings).map(\.field) + [tags.field])

    /// One `@`, a non-empty local part, a domain containing a dot — exactly
    /// the protocol's rule and nothing stricter.
    @Sendable static func isEmailAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        return !parts[0].isEmpty && parts[1].contains(".")
    }

    private static let phoneCharacters = Set("0123456789 +-().".unicodeScalars)

    @Sendable static func isPhoneNumber(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy(phoneCharacters.contains)
    }
}
