import HuddlePluginKit

/// Reads the options of one field table, collecting a problem for each bad
/// one and carrying on with a default, so one run finds every problem.
final class OptionReader {
    let table: [String: JSONValue]
    /// The field's key, `plugins.<name>.fields.<field>`.
    let key: String
    private(set) var problems: [PluginConfigError] = []

    init(table: [String: JSONValue], key: String) {
        self.table = table
        self.key = key
    }

    /// Records a problem with `option` of the field (or the field itself).
    func fail(_ option: String?, _ message: String) {
        problems.append(PluginConfigError(key: option.map { "\(key).\($0)" } ?? key, message: message))
    }

    func bool(_ option: String) -> Bool {
        guard let raw = table[option] else { return false }
        guard let flag = raw.boolValue else {
            fail(option, "must be true or false, not \(raw.typeName)")
            return false
        }
        return flag
    }

    func count(_ option: String, default fallback: Int) -> Int {
        guard let raw = table[option] else { return fallback }
        guard case .int(let number) = raw, number >= 0 else {
            fail(option, "must be a whole number of at least 0")
            return fallback
        }
        return number
    }

    /// `min_length`/`max_length` of a string or text, or `max_length` of each tag.
    func lengths(of type: FieldType) -> ClosedRange<Int> {
        switch type {
        case .string, .text:
            let fallback = type == .string ? FieldSpec.defaultStringLength : FieldSpec.defaultTextLength
            let lower = count(FieldOption.minLength, default: fallback.lowerBound)
            let upper = count(FieldOption.maxLength, default: fallback.upperBound)
            guard lower <= upper else {
                fail(FieldOption.minLength, "must not be above max_length (\(upper))")
                return fallback
            }
            return lower...upper
        case .tags:
            let upper = count(FieldOption.maxLength, default: FieldSpec.defaultTagLength.upperBound)
            guard upper >= 1 else {
                fail(FieldOption.maxLength, "must be at least 1")
                return FieldSpec.defaultTagLength
            }
            return 1...upper
        default:
            return FieldSpec.defaultStringLength
        }
    }

    /// `min`/`max` of an integer (whole numbers) or a number.
    func bounds(integer: Bool) -> (Double?, Double?) {
        func read(_ option: String) -> Double? {
            guard let raw = table[option] else { return nil }
            if integer, case .int(let number) = raw { return Double(number) }
            if !integer, let number = raw.doubleValue { return number }
            fail(option, integer ? "must be a whole number" : "must be a number")
            return nil
        }
        let minimum = read(FieldOption.min)
        let maximum = read(FieldOption.max)
        if let minimum, let maximum, minimum > maximum {
            fail(FieldOption.min, "must not be above max")
            return (nil, nil)
        }
        return (minimum, maximum)
    }

    /// An enum's `values`: required, at least one, distinct, non-empty.
    func enumValues() -> [String] {
        guard let raw = table[FieldOption.values] else {
            fail(FieldOption.values, "is required for an enum field")
            return []
        }
        guard let elements = raw.arrayValue, case let strings = elements.compactMap(\.stringValue),
              strings.count == elements.count else {
            fail(FieldOption.values, "must be an array of strings")
            return []
        }
        if strings.isEmpty { fail(FieldOption.values, "must name at least one value") }
        if strings.contains("") { fail(FieldOption.values, "must not contain an empty value") }
        if Set(strings).count != strings.count { fail(FieldOption.values, "must not name a value twice") }
        return strings
    }
}
