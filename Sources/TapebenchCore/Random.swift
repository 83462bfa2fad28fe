#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seeded pseudo-random numbers. Nothing in Tapebench uses unseeded randomness: every generator is
/// built from a seed and a stable key, so the same inputs give the same draws on every machine.

/// SplitMix64 (Steele, Lea, Flood 2014): used to expand one seed into generator states.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** (Blackman, Vigna 2018).
public struct Xoshiro256: RandomNumberGenerator, Sendable {
    var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var mixer = SplitMix64(seed: seed)
        s = (mixer.next(), mixer.next(), mixer.next(), mixer.next())
    }

    /// A generator for one key (a ticker, an agent, an order) under a run seed: adding a key never
    /// changes the draws of another.
    public init(seed: UInt64, key: String) {
        self.init(seed: seed ^ StableHash.fnv1a64(key))
    }

    public mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = (s.3 << 45) | (s.3 >> 19)
        return result
    }

    /// Uniform in [0, 1) from the top 53 bits.
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal by Box–Muller (one draw per call; the partner is discarded for simplicity).
    public mutating func nextGaussian() -> Double {
        let u1 = 1.0 - nextUnit()  // (0, 1]
        let u2 = nextUnit()
        return (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
    }
}

/// Hashes that do not change between processes (Swift's `Hasher` is seeded per process).
public enum StableHash {
    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
