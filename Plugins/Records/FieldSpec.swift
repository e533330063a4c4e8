import HuddlePluginKit

/// One field of a records domain, as its `fields.<name>` table defines it.
struct FieldSpec {
    let name: String
    let type: FieldType
    let isRequired: Bool
    /// The value a create gets when the field is absent.
    let defaultValue: JSONValue?
    let isUnique: Bool
    /// Lengths of a string or text, or of each tag, in Unicode scalars.
    let length: ClosedRange<Int>
    let minimum: Double?
    let maximum: Double?
    /// An enum's allowed values.
    let values: [String]
    /// Most tags a `tags` field holds.
    let maxCount: Int
    /// The field's table as configured: `welcome` shows it under the same names.
    let options: [String: JSONValue]

    static let defaultStringLength = 0...1000
    static let defaultTextLength = 0...100_000
    static let defaultTagLength = 1...100
    static let defaultMaxCount = 20
    /// Longer strings are `too_long` whatever the field says, so an index key stays short.
    static let emailMaxLength = 254
    static let urlMaxLength = 2048

    /// Names a record carries besides its fields, which no field may take.
    static let reserved: Set<String> = ["id", "version", "created_at", "updated_at", "created_by", "updated_by"]

    /// Reads `fields.<name>` from `raw`; every problem goes to `problems`,
    /// keyed under `key` (`plugins.deals.fields.title`). `nil` when any was found.
    static func parse(name: String, raw: JSONValue, key: String, problems: inout [PluginConfigError]) -> FieldSpec? {
        let reader = OptionReader(table: raw.objectValue ?? [:], key: key)
        defer { problems += reader.problems }
        let fail = reader.fail
        if !isFieldName(name) {
            fail(nil, "a field name is 1–64 of a–z, 0–9 and _, starting with a letter")
        } else if reserved.contains(name) {
            fail(nil, "\(name) is a field every record has; choose another name")
        }
        guard let table = raw.objectValue else {
            fail(nil, "must be a table such as { type = \"string\" }, not \(raw.typeName)")
            return nil
        }
        guard let typeName = table[FieldOption.type]?.stringValue, let type = FieldType(rawValue: typeName) else {
            let known = FieldType.allCases.map(\.rawValue).joined(separator: ", ")
            fail(FieldOption.type, table[FieldOption.type] == nil ? "is required (one of \(known))" : "must be one of \(known)")
            return nil
        }
        for option in table.keys.sorted() where !(FieldOption.common + type.ownOptions).contains(option) {
            fail(option, "is not an option of a \(type.rawValue) field")
        }
        let required = reader.bool(FieldOption.required)
        let unique = reader.bool(FieldOption.unique)
        if unique && !type.mayBeUnique { fail(FieldOption.unique, "a \(type.rawValue) field cannot be unique") }
        let length = reader.lengths(of: type)
        let (minimum, maximum) = type == .integer || type == .number ? reader.bounds(integer: type == .integer) : (nil, nil)
        let values = type == .enum ? reader.enumValues() : []
        let maxCount = type == .tags ? reader.count(FieldOption.maxCount, default: defaultMaxCount) : defaultMaxCount
        guard reader.problems.isEmpty else { return nil }
        let spec = FieldSpec(name: name, type: type, isRequired: required, defaultValue: nil, isUnique: unique,
                             length: length, minimum: minimum, maximum: maximum, values: values, maxCount: maxCount,
                             options: table)
        guard let fallback = table[FieldOption.default] else { return spec }
        switch fallback.isNull ? .invalid(.required) : spec.check(fallback) {
        case .valid(let value):
            return spec.with(default: value)
        case .invalid(let problem):
            fail(FieldOption.default, "is not a valid \(type.rawValue) value for this field (\(problem.rawValue))")
            return nil
        }
    }

    private func with(default value: JSONValue) -> FieldSpec {
        FieldSpec(name: name, type: type, isRequired: isRequired, defaultValue: value, isUnique: isUnique, length: length,
                  minimum: minimum, maximum: maximum, values: values, maxCount: maxCount, options: options)
    }

    private static func isFieldName(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard (1...64).contains(scalars.count), ("a"..."z").contains(scalars[0]) else { return false }
        return scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
