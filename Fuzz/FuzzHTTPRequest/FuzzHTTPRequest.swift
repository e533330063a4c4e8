import HuddleHTTP
import FuzzSupport

/// libFuzzer entry. The first byte picks a split size; the rest is fed to the
/// parser whole and in pieces of that size. The parser promises that any
/// split gives the same requests and the same error, so a difference is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequest(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard count > 0, let start else { return 0 }
    let split = Int(start[0]) % 64 + 1
    let bytes = Array(UnsafeBufferPointer(start: start + 1, count: count - 1))
    let whole = parse([bytes[...]])
    let pieces = stride(from: 0, to: bytes.count, by: split).map { bytes[$0..<min($0 + split, bytes.count)] }
    let piecewise = parse(pieces)
    precondition(whole == piecewise, "split at \(split) bytes changed the outcome: \(whole) vs \(piecewise)")
    return 0
}

private struct Outcome: Equatable, CustomStringConvertible {
    var requests: [HTTPRequest] = []
    var error: HTTPParseError?
    var description: String { "\(requests.count) requests, error \(error.map(String.init(describing:)) ?? "none")" }
}

private func parse(_ pieces: [ArraySlice<UInt8>]) -> Outcome {
    var parser = HTTPRequestParser(limits: HTTPLimits(maxRequestLine: 256, maxHeaderBytes: 1024, maxHeaderCount: 16,
                                                      maxBodyBytes: 4096, maxChunkLine: 64))
    var outcome = Outcome()
    for piece in pieces {
        parser.append(Array(piece))
        do {
            while let request = try parser.nextRequest() { outcome.requests.append(request) }
        } catch {
            outcome.error = error
            return outcome
        }
    }
    return outcome
}

@_cdecl("FuzzHTTPRequest_main")
func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzHTTPRequest($0, $1) }
}
