import HuddlePluginKit

extension FieldSpec {
    /// Checks a value (not `null`) sent for this field: the value to store,
    /// or the one problem it has.
    func check(_ raw: JSONValue) -> CheckedValue {
        switch type {
        case .string, .text:
            return text(raw) { _ in nil }
        case .email:
            return text(raw, maxLength: Self.emailMaxLength) { ValueFormats.isEmail($0) ? nil : .invalidFormat }
        case .url:
            return text(raw, maxLength: Self.urlMaxLength) { ValueFormats.isURL($0) ? nil : .invalidFormat }
        case .date:
            return text(raw) { ValueFormats.isDate($0) ? nil : .invalidFormat }
        case .datetime:
            return text(raw) { ValueFormats.isDateTime($0) ? nil : .invalidFormat }
        case .user:
            return text(raw) { ValueFormats.isUserID($0) ? nil : .invalidFormat }
        case .enum:
            return text(raw) { values.contains($0) ? nil : .notInList }
        case .integer:
            guard case .int(let number) = raw else { return .invalid(.wrongType) }
            return inRange(Double(number)) ? .valid(raw) : .invalid(.outOfRange)
        case .number:
            guard let number = raw.doubleValue else { return .invalid(.wrongType) }
            return inRange(number) ? .valid(raw) : .invalid(.outOfRange)
        case .boolean:
            return raw.boolValue == nil ? .invalid(.wrongType) : .valid(raw)
        case .tags:
            guard let elements = raw.arrayValue else { return .invalid(.wrongType) }
            let strings = elements.compactMap(\.stringValue)
            let rule = StringListRule(name, maxCount: maxCount, elementLength: length)
            if let problem = rule.problem(with: strings, allStrings: strings.count == elements.count) { return .invalid(problem) }
            return .valid(raw)
        }
    }

    /// The key a stored value is found by in the store's index: emails
    /// compare case-insensitively, numbers by value (`5` and `5.0` are one).
    func indexKey(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return type == .email ? text.lowercased() : text
        case .int(let number): return String(number)
        case .double(let number): return number == number.rounded() && abs(number) < 9.0e15 ? String(Int(number)) : String(number)
        case .bool(let flag): return String(flag)
        default: return nil
        }
    }

    /// A string value: its length against the field's (or the format's own
    /// bound), then `format`'s problem.
    private func text(_ raw: JSONValue, maxLength: Int? = nil,
                      format: (String) -> FieldProblem.Problem?) -> CheckedValue {
        guard case .string(let value) = raw else { return .invalid(.wrongType) }
        let count = value.unicodeScalars.count
        let bounds = type == .string || type == .text ? length : 0...(maxLength ?? Int.max)
        if count < bounds.lowerBound { return .invalid(.tooShort) }
        if count > bounds.upperBound { return .invalid(.tooLong) }
        if let problem = format(value) { return .invalid(problem) }
        return .valid(raw)
    }

    private func inRange(_ number: Double) -> Bool {
        !(minimum.map { number < $0 } ?? false) && !(maximum.map { number > $0 } ?? false)
    }
}

/// A value sent for a field: what to store, or its one problem.
enum CheckedValue {
    case valid(JSONValue)
    case invalid(FieldProblem.Problem)
}
