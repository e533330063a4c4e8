/// The completion of a libuv request in flight, carried in the request's
/// `data` (a C callback captures nothing): `retained` when the request is
/// made, `take` once, in its callback or when libuv refuses the request.
final class PendingCompletion<Value> {
    typealias Completion = (Result<Value, LoopError>) -> Void

    private let completion: Completion

    private init(_ completion: @escaping Completion) {
        self.completion = completion
    }

    /// For the request's `data`; owns `completion` until `take`.
    static func retained(_ completion: @escaping Completion) -> UnsafeMutableRawPointer {
        Unmanaged.passRetained(PendingCompletion(completion)).toOpaque()
    }

    /// The completion `retained` stored at `data`, which no longer holds it.
    static func take(_ data: UnsafeMutableRawPointer?) -> Completion {
        Unmanaged<PendingCompletion>.fromOpaque(data!).takeRetainedValue().completion
    }
}
