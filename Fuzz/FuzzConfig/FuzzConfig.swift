@testable import HuddleConfig
import FuzzSupport

/// libFuzzer entry: any text as a config file either loads or becomes
/// problems; it never crashes the loader or the key locator that points
/// problems at lines.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    var loader = ConfigLoader()
    loader.loadText(text, path: "fuzz.toml")
    loader.checkCombinations()
    return 0
}

@_cdecl("FuzzConfig_main")
func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzConfig($0, $1) }
}
