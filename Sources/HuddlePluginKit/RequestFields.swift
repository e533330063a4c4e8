/// Reads the fields of a request's `data`, or of its `changes` object, and
/// collects every problem it finds, so one `validation_failed` error lists
/// them all (docs/protocol.md, "Errors" and "Plugin messages").
///
/// Unknown fields are reported as `not_allowed` as soon as the reader is
/// made; each read then checks one field and records at most one problem for
/// it. Call `throwIfInvalid()` once every field is read, *before* looking
/// anything up: `validation_failed` comes first in the precedence order
/// (`validation_failed`, `not_found`, `forbidden`, `conflict`).
///
/// ```swift
/// let title = StringRule("title", length: 1...200, required: true)
/// let owner = StringRule("owner", length: 1...64)
/// let fields = RequestFields(request.data, allowed: ["id", "changes", "version"])
/// let id = fields.id()
/// let changes = fields.changes(allowed: [title.field, owner.field])
/// changes?.string(title)
/// changes?.string(owner)
/// let version = fields.version()
/// let (validID, validChanges) = try fields.validated(id, changes)
/// // validChanges.accepted is now e.g. ["title": "Renewal"], or ["owner": null] to clear
/// ```
public final class RequestFields {
    /// How absent and `null` fields are read.
    public enum Mode: Sendable {
        /// A whole request or record: an absent or `null` optional field is
        /// `null`; an absent or `null` required field is `required`.
        case whole
        /// A `changes` object: an absent field stays unchanged; `null` clears
        /// an optional field and is `required` for a required one.
        case changes
    }

    /// The object being read.
    public let values: [String: JSONValue]
    /// Whether this reader reads a whole request or a `changes` object.
    public let mode: Mode
    /// The validated value of every field read with `string(_:)` or
    /// `stringList(_:)`, as it should be stored: `null` for an optional field
    /// that is absent (whole mode) or cleared (changes mode). In changes mode
    /// it holds exactly the fields the request changes: merge it into the
    /// record and echo it in the event.
    public private(set) var accepted: [String: JSONValue] = [:]

    /// Problems are collected by the outermost reader, so those found inside
    /// `changes` land in the same list, under their plain field names.
    private let parent: RequestFields?
    private var collected: [FieldProblem] = []

    /// Starts reading `values`; every key not in `allowed` is `not_allowed`.
    public convenience init(_ values: [String: JSONValue], allowed: Set<String>, mode: Mode = .whole) {
        self.init(values, allowed: allowed, mode: mode, parent: nil)
    }

    private init(_ values: [String: JSONValue], allowed: Set<String>, mode: Mode, parent: RequestFields?) {
        self.values = values
        self.mode = mode
        self.parent = parent
        for unknown in values.keys.sorted() where !allowed.contains(unknown) {
            record(unknown, .notAllowed)
        }
    }

    /// Every problem recorded so far, this reader's and its `changes` reader's.
    public var problems: [FieldProblem] { parent?.problems ?? collected }

    /// Records a problem found by the plugin itself (`duplicate`,
    /// `unknown_column`, `wip_limit`, …).
    public func record(_ field: String, _ problem: FieldProblem.Problem) {
        if let parent {
            parent.record(field, problem)
        } else {
            collected.append(FieldProblem(field, problem))
        }
    }

    /// Whether `field` has already been given a problem; lets a plugin skip
    /// checks against the store for a value that is already wrong.
    public func hasProblem(_ field: String) -> Bool {
        problems.contains { $0.field == field }
    }

    /// Throws `validation_failed` listing every problem, if there is one.
    public func throwIfInvalid() throws(PluginError) {
        let all = problems
        if !all.isEmpty { throw PluginError.validation(all) }
    }

    /// Throws like `throwIfInvalid()`, then returns the results of required
    /// reads unwrapped: `let (id, changes) = try fields.validated(id, changes)`.
    /// Read every field first; a read made after this is not checked.
    public func validated<each Value>(_ values: repeat (each Value)?) throws(PluginError) -> (repeat each Value) {
        try throwIfInvalid()
        return (repeat try Self.unwrapRequired(each values))
    }

    /// A required read yields `nil` only after recording a problem, so a
    /// `nil` here is a bug in the plugin, reported as `internal`.
    private static func unwrapRequired<Value>(_ value: Value?) throws(PluginError) -> Value {
        guard let value else {
            throw PluginError(.internal, "a required field is missing but no problem was recorded")
        }
        return value
    }

    // MARK: Reading fields

    /// A string field checked against `rule`: the string, or `nil` when it is
    /// absent, `null` or has a problem.
    @discardableResult
    public func string(_ rule: StringRule) -> String? {
        guard let raw = present(rule.field, required: rule.isRequired) else { return nil }
        guard case .string(let text) = raw else {
            record(rule.field, .wrongType)
            return nil
        }
        if let problem = rule.problem(with: text) {
            record(rule.field, problem)
            return nil
        }
        accepted[rule.field] = raw
        return text
    }

    /// A string field checked against `rule` that must also be one of
    /// `choices` (a configured column or stage); any other value is
    /// `otherwise`. The string, or `nil` when it is absent, `null` or wrong.
    @discardableResult
    public func string(_ rule: StringRule, oneOf choices: [String],
                       otherwise problem: FieldProblem.Problem = .invalidFormat) -> String? {
        guard let text = string(rule) else { return nil }
        guard choices.contains(text) else {
            accepted[rule.field] = nil
            record(rule.field, problem)
            return nil
        }
        return text
    }

    /// An array-of-strings field checked against `rule`: the strings, or
    /// `nil` when the field is absent, `null` or has a problem.
    @discardableResult
    public func stringList(_ rule: StringListRule) -> [String]? {
        guard let raw = present(rule.field, required: rule.isRequired) else { return nil }
        guard case .array(let elements) = raw else {
            record(rule.field, .wrongType)
            return nil
        }
        let strings = elements.compactMap(\.stringValue)
        if let problem = rule.problem(with: strings, allStrings: strings.count == elements.count) {
            record(rule.field, problem)
            return nil
        }
        accepted[rule.field] = raw
        return strings
    }

    /// An integer field (a JSON number with no fraction): `wrong_type` if it
    /// is anything else, `out_of_range` outside `range`. `nil` when absent,
    /// `null` or wrong; absent is `required` only if `required` is set.
    public func integer(_ field: String, in range: ClosedRange<Int>? = nil, required: Bool = false) -> Int? {
        guard let raw = values[field], !raw.isNull else {
            if required { record(field, .required) }
            return nil
        }
        guard let number = raw.intValue else {
            record(field, .wrongType)
            return nil
        }
        if let range, !range.contains(number) {
            record(field, .outOfRange)
            return nil
        }
        return number
    }

    /// The required record id a request names (`id` unless told otherwise).
    public func id(_ field: String = "id") -> String? {
        guard let raw = values[field], !raw.isNull else {
            record(field, .required)
            return nil
        }
        guard case .string(let id) = raw else {
            record(field, .wrongType)
            return nil
        }
        return id
    }

    /// The optional `version` a change is based on: an integer of at least
    /// 1, since versions start at 1. Check it with
    /// `StoredRecord.requireVersion(_:current:)` after the record is found.
    public func version() -> Int? {
        integer("version", in: Self.versions)
    }

    /// A reader for the request's `changes` object, whose fields must be in
    /// `allowed`. `changes` itself is `required` when absent, `null` or
    /// empty, and `wrong_type` when it is not an object; then this is `nil`.
    public func changes(allowed: Set<String>) -> RequestFields? {
        let field = "changes"
        guard let raw = values[field], !raw.isNull else {
            record(field, .required)
            return nil
        }
        guard case .object(let members) = raw else {
            record(field, .wrongType)
            return nil
        }
        guard !members.isEmpty else {
            record(field, .required)
            return nil
        }
        return RequestFields(members, allowed: allowed, mode: .changes, parent: self)
    }

    /// Valid record versions.
    public static let versions = StoredRecord.firstVersion...Int.max

    /// The value of `field` when it is present and not `null`. Otherwise
    /// records `required` for a required field, notes the `null` an optional
    /// one will hold, and returns `nil`.
    private func present(_ field: String, required: Bool) -> JSONValue? {
        let raw = values[field]
        if let raw, !raw.isNull { return raw }
        if mode == .changes && raw == nil { return nil }
        if required {
            record(field, .required)
        } else {
            accepted[field] = .null
        }
        return nil
    }
}
