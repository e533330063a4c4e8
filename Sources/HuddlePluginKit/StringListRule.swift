/// What an array-of-strings field (tags, labels, …) must look like.
public struct StringListRule: Sendable {
    /// The field's name in the request, as reported in `details`.
    public let field: String
    /// At most this many elements; more is `too_many`.
    public let maxCount: Int
    /// Each element's length in Unicode scalars.
    public let elementLength: ClosedRange<Int>
    /// Whether the same string may appear twice; if not, a repeat is `duplicate`.
    public let allowsDuplicates: Bool
    /// Whether an absent (or, in `changes`, `null`) value is `required`.
    public let isRequired: Bool

    /// A rule for `field`; a repeated element is `duplicate` unless `allowsDuplicates`.
    public init(_ field: String, maxCount: Int, elementLength: ClosedRange<Int>,
                allowsDuplicates: Bool = false, required: Bool = false) {
        self.field = field
        self.maxCount = maxCount
        self.elementLength = elementLength
        self.allowsDuplicates = allowsDuplicates
        self.isRequired = required
    }

    /// The first problem with a list, or `nil` when it is acceptable.
    /// `allStrings` is false when some element was not a string (`wrong_type`).
    public func problem(with strings: [String], allStrings: Bool) -> FieldProblem.Problem? {
        guard allStrings else { return .wrongType }
        if strings.count > maxCount { return .tooMany }
        for string in strings {
            let count = string.unicodeScalars.count
            if count < elementLength.lowerBound { return .tooShort }
            if count > elementLength.upperBound { return .tooLong }
        }
        if !allowsDuplicates && Set(strings).count != strings.count { return .duplicate }
        return nil
    }
}
