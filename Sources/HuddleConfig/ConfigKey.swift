import TOMLKit

/// One `section.name` key of the file: how a TOML value becomes a field of
/// ``HuddleConfig``, or why it cannot.
struct ConfigKey: Sendable {
    let section: String
    let name: String
    /// A string key takes an environment value's raw text when it reads as
    /// another TOML type, so `HUDDLE_AUTH_JWT_SECRET=1234567890123456` is a
    /// secret, not a type error.
    let takesRawText: Bool
    /// Stores `value` in the config, or returns why it is refused.
    let assign: @Sendable (TOMLValueConvertible, inout HuddleConfig) -> String?

    var path: String { "\(section).\(name)" }
}

// MARK: Kinds of key

extension ConfigKey {
    static func integer(
        _ section: String, _ name: String, _ field: WritableKeyPath<HuddleConfig, Int> & Sendable,
        _ range: ClosedRange<Int>
    ) -> ConfigKey {
        ConfigKey(section: section, name: name, takesRawText: false) { value, config in
            guard let number = value.int else { return mismatch(expected: "an integer", found: value) }
            guard range.contains(number) else {
                return "must be between \(range.lowerBound) and \(range.upperBound), not \(number)"
            }
            config[keyPath: field] = number
            return nil
        }
    }

    static func boolean(
        _ section: String, _ name: String, _ field: WritableKeyPath<HuddleConfig, Bool> & Sendable
    ) -> ConfigKey {
        ConfigKey(section: section, name: name, takesRawText: false) { value, config in
            guard let flag = value.bool else { return mismatch(expected: "true or false", found: value) }
            config[keyPath: field] = flag
            return nil
        }
    }

    /// A non-empty string, checked further by `validate` (which returns why a value is refused).
    static func string(
        _ section: String, _ name: String, _ field: WritableKeyPath<HuddleConfig, String> & Sendable,
        validate: @escaping @Sendable (String) -> String? = { _ in nil }
    ) -> ConfigKey {
        ConfigKey(section: section, name: name, takesRawText: true) { value, config in
            guard let text = value.string else { return mismatch(expected: "a string", found: value) }
            if let problem = nonEmpty(text) ?? validate(text) { return problem }
            config[keyPath: field] = text
            return nil
        }
    }

    static func optionalString(
        _ section: String, _ name: String, _ field: WritableKeyPath<HuddleConfig, String?> & Sendable,
        validate: @escaping @Sendable (String) -> String?
    ) -> ConfigKey {
        ConfigKey(section: section, name: name, takesRawText: true) { value, config in
            guard let text = value.string else { return mismatch(expected: "a string", found: value) }
            if let problem = validate(text) { return problem }
            config[keyPath: field] = text
            return nil
        }
    }

    static func choice<Choice: RawRepresentable & CaseIterable>(
        _ section: String, _ name: String, _ field: WritableKeyPath<HuddleConfig, Choice> & Sendable
    ) -> ConfigKey where Choice.RawValue == String {
        ConfigKey(section: section, name: name, takesRawText: true) { value, config in
            guard let text = value.string else { return mismatch(expected: "a string", found: value) }
            guard let chosen = Choice(rawValue: text) else {
                return oneOf(Choice.allCases.map(\.rawValue), found: text)
            }
            config[keyPath: field] = chosen
            return nil
        }
    }

    /// An array of strings, each checked by `validate`.
    static func stringList(
        _ section: String, _ name: String, _ field: WritableKeyPath<HuddleConfig, [String]> & Sendable,
        validate: @escaping @Sendable (String) -> String?
    ) -> ConfigKey {
        ConfigKey(section: section, name: name, takesRawText: false) { value, config in
            guard let strings = stringArray(value) else {
                return stringArrayMismatch(value)
            }
            let problems = strings.compactMap(validate)
            guard problems.isEmpty else { return problems.joined(separator: "; ") }
            config[keyPath: field] = strings
            return nil
        }
    }
}

// MARK: Messages and helpers shared by every kind

extension ConfigKey {
    static func mismatch(expected: String, found value: TOMLValueConvertible) -> String {
        "must be \(expected), not \(describe(value.type)) (\(value.debugDescription))"
    }

    /// Says which element spoils an array of strings, or what came instead of an array.
    static func stringArrayMismatch(_ value: TOMLValueConvertible) -> String {
        let expected = "an array of strings"
        guard let array = value.array else { return mismatch(expected: expected, found: value) }
        for (index, element) in array.enumerated() where element.string == nil {
            return "must be \(expected), but element \(index) is \(describe(element.type)) (\(element.debugDescription))"
        }
        return mismatch(expected: expected, found: value)
    }

    static func oneOf(_ choices: [String], found text: String) -> String {
        "must be one of \(choices.map { "\"\($0)\"" }.joined(separator: ", ")), not \"\(text)\""
    }

    static func nonEmpty(_ text: String) -> String? {
        text.isEmpty ? "must not be empty" : nil
    }

    /// The elements of a TOML array of strings, or `nil` if `value` is anything else.
    static func stringArray(_ value: TOMLValueConvertible) -> [String]? {
        guard let array = value.array else { return nil }
        var strings: [String] = []
        for element in array {
            guard let text = element.string else { return nil }
            strings.append(text)
        }
        return strings
    }

    static func describe(_ type: TOMLType) -> String {
        switch type {
        case .table: return "a table"
        case .array: return "an array"
        case .string: return "a string"
        case .int: return "an integer"
        case .double: return "a floating-point number"
        case .bool: return "a boolean"
        case .date: return "a date"
        case .time: return "a time"
        case .dateTime: return "a date-time"
        }
    }
}
