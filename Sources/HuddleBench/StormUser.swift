/// The user ids of a storm run, `r<workspace>-<member>`: a presence message's
/// user maps back to its member index without a dictionary lookup.
enum StormUser {
    static func id(workspace: Int, member: Int) -> String { "r\(workspace)-\(member)" }

    /// The (workspace, member) of an id of this form; nil for any other user.
    static func parse(_ id: UnsafeRawBufferPointer) -> (workspace: Int, member: Int)? {
        guard id.first == UInt8(ascii: "r") else { return nil }
        var index = 1
        guard let workspace = number(in: id, at: &index), index < id.count, id[index] == UInt8(ascii: "-") else { return nil }
        index += 1
        guard let member = number(in: id, at: &index), index == id.count else { return nil }
        return (workspace, member)
    }

    private static func number(in bytes: UnsafeRawBufferPointer, at index: inout Int) -> Int? {
        var value = 0, digits = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9"), digits < 9 {
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        return digits == 0 ? nil : value
    }
}
