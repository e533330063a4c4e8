import Foundation
import HuddleJSON
import HuddleOutbound
import HuddleTestSupport
import Testing

/// `OutboundClient` against the Python backend's unsigned `/raw/` actions:
/// answers of any status, refusals, timeouts, and the in-flight bound.
@Suite struct OutboundClientTests {
    private let backend: ProxyBackendProcess

    init() throws {
        backend = try ProxyBackendProcess(secret: "unused")
    }

    private func request(_ action: String, body: String = "", timeoutMs: Int = 10_000) -> OutboundRequest {
        OutboundRequest(url: "http://127.0.0.1:\(backend.port)/raw/\(action)", headers: [("Content-Type", "text/plain")],
                        body: Array(body.utf8), timeoutMs: timeoutMs)
    }

    @Test func anAnswerOfAnyStatusIsAResponseWithItsBody() throws {
        let results = Completions()
        let client = OutboundClient(name: "test", maxInFlight: 4, deliver: results.deliver)
        defer { client.close() }
        client.send(request("invoice.list", body: "hello")) { results.add("list", $0) }
        client.send(request("invoice.crash")) { results.add("crash", $0) }
        let finished = try results.wait(for: 2)
        guard case .response(200, let body) = finished["list"] else { throw UnexpectedResult(finished) }
        #expect(try JSONParser.parse(body)["result"]?["data"]?["body"] == "hello", "the body went out and the answer came back")
        guard case .response(503, _) = finished["crash"] else { throw UnexpectedResult(finished) }
    }

    @Test func aRefusedConnectionIsUnreachable() throws {
        let results = Completions()
        let client = OutboundClient(name: "test", maxInFlight: 1, deliver: results.deliver)
        defer { client.close() }
        let closed = try ProxyBackendProcess.closedPort()
        client.send(OutboundRequest(url: "http://127.0.0.1:\(closed)/", timeoutMs: 10_000)) { results.add("gone", $0) }
        guard case .failed(let failure) = try results.wait(for: 1)["gone"] else { throw UnexpectedResult([:]) }
        #expect(failure.reason == .unreachable)
    }

    /// With one transfer at a time, `release` waits behind `hold`, so `hold`
    /// can only end by its (short) timeout; with two, `release` frees it
    /// long before its (long) one.
    @Test(arguments: [1, 2])
    func noMoreThanMaxInFlightTransfersRunAtOnce(maxInFlight: Int) throws {
        let results = Completions()
        let client = OutboundClient(name: "test", maxInFlight: maxInFlight, deliver: results.deliver)
        defer { client.close() }
        client.send(request("invoice.hold", timeoutMs: maxInFlight == 1 ? 300 : 10_000)) { results.add("hold", $0) }
        client.send(request("invoice.release")) { results.add("release", $0) }
        let finished = try results.wait(for: 2)
        if maxInFlight == 1 {
            guard case .failed(let failure) = finished["hold"] else { throw UnexpectedResult(finished) }
            #expect(failure.reason == .timedOut)
            #expect(results.order == ["hold", "release"])
        } else {
            guard case .response(200, _) = finished["hold"] else { throw UnexpectedResult(finished) }
        }
    }

    @Test func closingAnswersWhatIsStillWaiting() throws {
        let results = Completions()
        let client = OutboundClient(name: "test", maxInFlight: 1, deliver: results.deliver)
        client.send(request("invoice.hold")) { results.add("hold", $0) }
        client.send(request("invoice.list")) { results.add("queued", $0) }
        client.close()
        let finished = try results.wait(for: 2)
        for name in ["hold", "queued"] {
            guard case .failed(let failure) = finished[name] else { throw UnexpectedResult(finished) }
            #expect(failure.reason == .closed)
        }
        client.send(request("invoice.list")) { results.add("late", $0) }
        guard case .failed(let late) = try results.wait(for: 3)["late"] else { throw UnexpectedResult([:]) }
        #expect(late.reason == .closed)
    }
}

/// Completions as they are delivered (here on the client's thread: the
/// tests have no loop), in order, waited for with a bound.
private final class Completions: @unchecked Sendable {
    private let condition = NSCondition()
    private var results: [String: OutboundResult] = [:]
    private(set) var order: [String] = []

    var deliver: (@escaping () -> Void) -> Void { { $0() } }

    func add(_ name: String, _ result: OutboundResult) {
        condition.lock()
        results[name] = result
        order.append(name)
        condition.broadcast()
        condition.unlock()
    }

    func wait(for count: Int) throws -> [String: OutboundResult] {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(10)
        while results.count < count {
            guard condition.wait(until: deadline) else { throw WaitTimeout(what: "\(count) completions") }
        }
        return results
    }
}

private struct UnexpectedResult: Error {
    let results: [String: OutboundResult]
    init(_ results: [String: OutboundResult]) { self.results = results }
}
