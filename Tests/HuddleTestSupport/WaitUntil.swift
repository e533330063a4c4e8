import Foundation

/// Polls `condition` until it holds; for states no message announces.
/// `timeout` only ends a broken test; no test asserts on elapsed time.
public func waitUntil(_ what: String, timeout: Double = 10, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return }
        usleep(20_000)
    }
    throw WaitTimeout(what: what)
}

/// `waitUntil` gave up; `what` names the state that never came.
public struct WaitTimeout: Error, CustomStringConvertible {
    public let what: String
    public var description: String { "timed out waiting until \(what)" }

    public init(what: String) { self.what = what }
}
