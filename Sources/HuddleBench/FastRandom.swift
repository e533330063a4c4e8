/// xorshift64*: cheap randomness for mask keys and send jitter, where
/// speed matters and unpredictability does not.
struct FastRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed
    }

    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }

    mutating func next32() -> UInt32 {
        UInt32(truncatingIfNeeded: next() >> 32)
    }
}
