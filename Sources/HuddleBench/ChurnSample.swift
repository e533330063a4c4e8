import Foundation

/// The server's resident memory and open descriptors at one moment of a run.
public struct ChurnSample: Sendable {
    public let seconds: Double
    public let residentBytes: UInt64?
    public let openDescriptors: Int?

    static func take(pid: Int32?, seconds: Double) -> ChurnSample {
        ChurnSample(seconds: seconds, residentBytes: pid.flatMap(ProcessUsage.residentBytes),
                    openDescriptors: pid.flatMap { try? FileManager.default.contentsOfDirectory(atPath: "/proc/\($0)/fd").count })
    }
}
