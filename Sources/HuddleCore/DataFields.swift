import HuddleJSON

/// The members of a request's `data` object, each located in the frame and
/// decoded only when asked for. Size limits on a member count its bytes as
/// they appear in the frame (PROTOCOL.md §2).
struct DataFields {
    private let text: UnsafeRawBufferPointer
    /// Each member's value, as a byte range of the whole frame.
    private var spans: [String: Range<Int>] = [:]
    /// Member names in frame order, for deterministic error details.
    private(set) var names: [String] = []

    /// `data` absent reads as an empty object.
    init(text: UnsafeRawBufferPointer, data: Range<Int>?) {
        self.text = text
        guard let data else { return }
        let object = UnsafeRawBufferPointer(rebasing: text[data])
        guard let members = try? JSONParser.topLevelMembers(object) else {
            preconditionFailure("the envelope scan validated data as an object")
        }
        for member in members {
            let inFrame = (member.valueRange.lowerBound + data.lowerBound)..<(member.valueRange.upperBound + data.lowerBound)
            if spans.updateValue(inFrame, forKey: member.key) == nil { names.append(member.key) }
        }
    }

    func contains(_ name: String) -> Bool { spans[name] != nil }

    func value(_ name: String) -> JSONValue? {
        spans[name].map { Envelope.decode($0, in: text) }
    }

    /// How many bytes the member's value takes in the frame.
    func byteCount(_ name: String) -> Int { spans[name]?.count ?? 0 }

    /// Names outside `allowed`, each a `not_allowed` problem.
    func unknownNames(allowed: Set<String>) -> [String] { names.filter { !allowed.contains($0) } }
}
