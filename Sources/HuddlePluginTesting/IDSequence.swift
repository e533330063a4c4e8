/// Record ids a harness hands out: `id-1`, `id-2`, … — unique like the
/// server's random ones, and predictable in tests.
final class IDSequence: @unchecked Sendable {
    // Called on the store thread while the test thread waits for the
    // request, so the counter is never touched by two threads at once.
    private var last = 0

    func next() -> String {
        last += 1
        return "id-\(last)"
    }
}
