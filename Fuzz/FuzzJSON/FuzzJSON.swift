import FuzzSupport
import HuddleJSON

/// libFuzzer entry: any bytes either fail to parse or parse to a value that
/// survives writing and parsing again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: start, count: count)
    guard let value = try? JSONParser.parse(input) else { return 0 }
    let encoded = value.encoded()
    guard let again = try? JSONParser.parse(encoded) else {
        preconditionFailure("the writer's output does not parse: \(String(decoding: encoded, as: UTF8.self))")
    }
    precondition(survives(value, as: again), "round trip changed \(value) into \(again)")
    return 0
}

/// Equal, allowing for the writer's documented choices: a whole double is
/// written as an integer, and a non-finite one (an exponent past Double's
/// range) as null.
private func survives(_ value: JSONValue, as again: JSONValue) -> Bool {
    switch (value, again) {
    case (.double(let d), .int(let i)): return Double(i) == d
    case (.double(let d), .null): return !d.isFinite
    case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { survives($0, as: $1) }
    case (.object(let a), .object(let b)):
        return a.count == b.count && a.allSatisfy { key, member in b[key].map { survives(member, as: $0) } ?? false }
    default: return value == again
    }
}

@_cdecl("FuzzJSON_main")
func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzJSON($0, $1) }
}
