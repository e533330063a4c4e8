import Foundation

/// Whether storage works, written by the store thread and read by anyone.
final class HealthFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var healthy: Bool

    init(_ healthy: Bool) { self.healthy = healthy }

    var value: Bool {
        get { lock.withLock { healthy } }
        set { lock.withLock { healthy = newValue } }
    }
}
