import HuddleHTTP
import FuzzSupport

/// libFuzzer entry. The first byte picks a split size; the rest is fed to the
/// parser whole and in pieces of that size. The parser promises that any
/// split gives the same requests and the same error, so a difference is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequest(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    SplitCheck.run(start, count, parse)
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
