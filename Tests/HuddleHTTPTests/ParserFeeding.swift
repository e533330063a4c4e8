import HuddleHTTP

/// What a fresh parser made of a byte stream: the requests it returned, and
/// the error that stopped it, if any.
struct ParseOutcome: Equatable {
    var requests: [HTTPRequest] = []
    var error: HTTPParseError?
}

/// Feeds `pieces` to one parser in order, draining every complete request
/// after each piece, as a connection's read callback would.
func parse(pieces: [[UInt8]], limits: HTTPLimits = .default) -> ParseOutcome {
    var parser = HTTPRequestParser(limits: limits)
    var outcome = ParseOutcome()
    for piece in pieces {
        parser.append(piece)
        do throws(HTTPParseError) {
            while let request = try parser.nextRequest() { outcome.requests.append(request) }
        } catch {
            outcome.error = error
            return outcome
        }
    }
    return outcome
}

func parse(_ text: String, limits: HTTPLimits = .default) -> ParseOutcome {
    parse(pieces: [Array(text.utf8)], limits: limits)
}

/// Every way of cutting `bytes` in two, and one byte at a time.
func allSplits(of bytes: [UInt8]) -> [[[UInt8]]] {
    let cuts = (0...bytes.count).map { [Array(bytes[..<$0]), Array(bytes[$0...])] }
    return cuts + [bytes.map { [$0] }]
}

/// A minimal valid HTTP/1.1 request head for `target`, with extra header lines.
func getRequest(_ target: String = "/", headers: [String] = []) -> String {
    (["GET \(target) HTTP/1.1", "Host: example.test"] + headers).joined(separator: "\r\n") + "\r\n\r\n"
}
