/// A log-linear histogram of nanosecond latencies: each power-of-two range is
/// split into `subBuckets` equal buckets, so every recorded value is kept to
/// within 1/`subBuckets` of its size (about 3 %) in a fixed, small table.
public struct LatencyHistogram: Sendable {
    /// Linear buckets per power of two; a power of two so bucket math is shifts.
    static let subBucketBits = 5
    static let subBuckets = 1 << subBucketBits
    /// Powers of two covered: up to 2^40 ns (about 18 minutes).
    static let magnitudes = 40

    private var counts = [UInt64](repeating: 0, count: (magnitudes + 1) * subBuckets)
    public private(set) var count: UInt64 = 0
    public private(set) var max: UInt64 = 0
    private var sum: Double = 0

    public init() {}

    /// Records one value in nanoseconds.
    public mutating func record(_ nanos: UInt64) {
        counts[Self.bucket(of: nanos)] += 1
        count += 1
        sum += Double(nanos)
        if nanos > max { max = nanos }
    }

    /// The mean of every recorded value, 0 when empty.
    public var mean: Double { count == 0 ? 0 : sum / Double(count) }

    /// The smallest bucket upper bound at or below which `quantile` (0...1)
    /// of the values lie; never above `max`. 0 when empty.
    public func value(atQuantile quantile: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        let rank = UInt64((quantile * Double(count)).rounded(.up))
        var seen: UInt64 = 0
        for (index, bucketCount) in counts.enumerated() where bucketCount > 0 {
            seen += bucketCount
            if seen >= Swift.max(rank, 1) {
                return Swift.min(Self.upperBound(of: index), max)
            }
        }
        return max
    }

    /// Adds every value of `other`.
    public mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] += other.counts[index] }
        count += other.count
        sum += other.sum
        max = Swift.max(max, other.max)
    }

    /// Larger values share the last bucket (`max` stays exact).
    static let largestTracked: UInt64 = (1 << UInt64(magnitudes + subBucketBits)) - 1

    static func bucket(of nanos: UInt64) -> Int {
        let value = Swift.min(nanos, largestTracked)
        if value < UInt64(subBuckets) { return Int(value) }
        let magnitude = 63 - value.leadingZeroBitCount - subBucketBits + 1
        let linear = Int(truncatingIfNeeded: value >> UInt64(magnitude - 1)) & (subBuckets - 1)
        return magnitude * subBuckets + linear
    }

    static func upperBound(of index: Int) -> UInt64 {
        let magnitude = index / subBuckets
        let linear = UInt64(index % subBuckets)
        if magnitude == 0 { return linear }
        let step = UInt64(1) << UInt64(magnitude - 1)
        return (UInt64(subBuckets) + linear) * step + step - 1
    }
}
