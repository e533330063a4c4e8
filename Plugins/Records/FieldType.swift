/// The type of a records field (`fields.<name>.type`), which decides what
/// JSON a value must be, its format, and which options the field takes.
enum FieldType: String, CaseIterable {
    case string, text, integer, number, boolean
    case `enum`
    case email, url, date, datetime, user, tags

    /// The options this type takes besides `type`, `required`, `default`, `unique`.
    var ownOptions: [String] {
        switch self {
        case .string, .text: return [FieldOption.minLength, FieldOption.maxLength]
        case .integer, .number: return [FieldOption.min, FieldOption.max]
        case .enum: return [FieldOption.values]
        case .tags: return [FieldOption.maxCount, FieldOption.maxLength]
        case .boolean, .email, .url, .date, .datetime, .user: return []
        }
    }

    /// Whether a field of this type may be `unique` or in `index`: its value
    /// is one short string key. Long text and lists are not.
    var isIndexable: Bool { self != .text && self != .tags }

    /// Whether `unique` makes sense: two records may well share a boolean.
    var mayBeUnique: Bool { isIndexable && self != .boolean }
}

/// The option names of a field table, as in TOML and in `welcome`.
enum FieldOption {
    static let type = "type"
    static let required = "required"
    static let `default` = "default"
    static let unique = "unique"
    static let minLength = "min_length"
    static let maxLength = "max_length"
    static let min = "min"
    static let max = "max"
    static let values = "values"
    static let maxCount = "max_count"

    static let common = [type, required, `default`, unique]
}
