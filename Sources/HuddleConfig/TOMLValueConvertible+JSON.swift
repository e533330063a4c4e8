import HuddleJSON
import TOMLKit

extension TOMLValueConvertible {
    /// This value as JSON, for plugin options: integers stay integers, tables
    /// become objects, and dates and times become their TOML text
    /// (`1979-05-27T07:32:00Z`), since JSON has no date type.
    var jsonValue: JSONValue {
        switch type {
        case .table: return .object(table?.jsonObject ?? [:])
        case .array: return .array(array.map { $0.map(\.jsonValue) } ?? [])
        case .string: return string.map(JSONValue.string) ?? .null
        case .int: return int.map(JSONValue.int) ?? .null
        case .double: return double.map(JSONValue.double) ?? .null
        case .bool: return bool.map(JSONValue.bool) ?? .null
        case .date, .time, .dateTime: return .string(tomlValue.debugDescription)
        }
    }
}

extension TOMLTable {
    /// This table as a JSON object (see ``TOMLValueConvertible/jsonValue``).
    var jsonObject: [String: JSONValue] {
        var members: [String: JSONValue] = [:]
        for (key, value) in self { members[key] = value.jsonValue }
        return members
    }
}
