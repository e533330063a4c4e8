/// What a string field must look like: its length in Unicode scalars (as
/// every length limit in docs/protocol.md counts), whether it is required, and an
/// optional format check.
public struct StringRule: Sendable {
    /// The field's name in the request, as reported in `details`.
    public let field: String
    /// Allowed length, counted in Unicode scalar values.
    public let length: ClosedRange<Int>
    /// Whether an absent (or, in `changes`, `null`) value is `required`.
    public let isRequired: Bool
    /// Returns whether a string of allowed length is well formed; a `false`
    /// is reported as `invalid_format`.
    public let format: (@Sendable (String) -> Bool)?

    /// A rule for `field`; `format` runs only on a string of allowed length.
    public init(_ field: String, length: ClosedRange<Int>, required: Bool = false,
                format: (@Sendable (String) -> Bool)? = nil) {
        self.field = field
        self.length = length
        self.isRequired = required
        self.format = format
    }

    /// The same rule with `isRequired` set to `required`, for fields a
    /// plugin option can make required.
    public func required(_ required: Bool) -> StringRule {
        StringRule(field, length: length, required: required, format: format)
    }

    /// The problem with `text`, or `nil` when it is acceptable. Length is
    /// checked before format, so an over-long value is `too_long`.
    public func problem(with text: String) -> FieldProblem.Problem? {
        let count = text.unicodeScalars.count
        if count < length.lowerBound { return .tooShort }
        if count > length.upperBound { return .tooLong }
        if let format, !format(text) { return .invalidFormat }
        return nil
    }
}
