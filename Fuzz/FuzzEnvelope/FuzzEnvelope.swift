@testable import HuddleCore
import HuddleJSON
import FuzzSupport

/// libFuzzer entry: a client message's envelope is scanned without decoding
/// `data`; whatever the scan accepts must decode, and its `data` span must be
/// the object the full parse finds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEnvelope(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = UnsafeRawBufferPointer(start: start, count: count)
    guard case .success(let envelope) = Envelope.parse(text) else { return 0 }
    let full = try? JSONParser.parse(text)
    precondition(full?["type"]?.stringValue == envelope.type, "type differs from the full parse")
    if let span = envelope.data {
        precondition(Envelope.decode(span, in: text) == full?["data"], "data span differs from the full parse")
    }
    return 0
}

@_cdecl("FuzzEnvelope_main")
func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzEnvelope($0, $1) }
}
