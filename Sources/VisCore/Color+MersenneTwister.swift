/// MT19937, the generator behind numpy's legacy `np.random.seed` / `RandomState`, so that palettes drawn from it
/// match MMDetection's colour for colour.
///
/// Seeding is numpy's for an integer seed (the reference `init_genrand`); ``next()`` is `genrand_int32`.
struct _MersenneTwister19937 {
    private static let stateSize = 624
    private static let shift = 397
    private static let matrixA: UInt32 = 0x9908_B0DF
    private static let upperMask: UInt32 = 0x8000_0000
    private static let lowerMask: UInt32 = 0x7FFF_FFFF

    private var state: [UInt32]
    private var index: Int

    init(seed: UInt32) {
        var state = [UInt32](repeating: 0, count: Self.stateSize)
        state[0] = seed
        for i in 1..<Self.stateSize {
            let previous = state[i - 1]
            state[i] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(i)
        }
        self.state = state
        self.index = Self.stateSize
    }

    /// The next 32-bit output.
    mutating func next() -> UInt32 {
        if index >= Self.stateSize { regenerate() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    private mutating func regenerate() {
        let n = Self.stateSize
        for i in 0..<n {
            let y = (state[i] & Self.upperMask) | (state[(i + 1) % n] & Self.lowerMask)
            state[i] = state[(i + Self.shift) % n] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : Self.matrixA)
        }
        index = 0
    }
}
