import Foundation

/// A complex discrete Fourier transform of one length of the form 2^a · 3^b (Stockham autosort, decimation in
/// frequency, radix 4, 2 and 3 passes), applied to a batch of sequences stored side by side: element t of lane c is
/// at `t * stride + c`. Real and imaginary parts are separate arrays so that the lane loop vectorises.
///
/// Forward: X[r] = Σ_t x[t] e^{−2πi rt/n}; inverse: the conjugate kernel, unscaled.
struct _FFTPlan: Sendable {
    struct Pass: Sendable {
        var radix: Int
        /// The sub-length the pass splits (n / (product of the earlier radices)).
        var length: Int
        /// twiddles[(u − 1) * (length / radix) + p] = e^{−2πi u p / length} for u in 1..<radix.
        var twiddleRe: [Double]
        var twiddleIm: [Double]
    }

    let count: Int
    let passes: [Pass]

    /// The smallest 2^a or 3 · 2^a at least `minimum` (these lengths keep the passes cheap).
    static func size(atLeast minimum: Int) -> Int {
        var power = 1
        while power < minimum { power *= 2 }
        if power % 4 == 0, power / 4 * 3 >= minimum { return power / 4 * 3 }
        return power
    }

    /// A plan for `count` = 2^a · 3^b, or `nil` for other lengths.
    init?(count: Int) {
        guard count >= 1 else { return nil }
        var rest = count
        var radices: [Int] = []
        while rest % 4 == 0 { radices.append(4); rest /= 4 }
        while rest % 2 == 0 { radices.append(2); rest /= 2 }
        while rest % 3 == 0 { radices.append(3); rest /= 3 }
        guard rest == 1 else { return nil }
        self.count = count
        var passes: [Pass] = []
        var length = count
        for radix in radices {
            let m = length / radix
            var re = [Double](repeating: 0, count: (radix - 1) * m)
            var im = re
            for u in 1..<radix {
                for p in 0..<m {
                    let angle = -2 * Double.pi * Double(u * p) / Double(length)
                    re[(u - 1) * m + p] = Foundation.cos(angle)
                    im[(u - 1) * m + p] = Foundation.sin(angle)
                }
            }
            passes.append(Pass(radix: radix, length: length, twiddleRe: re, twiddleIm: im))
            length = m
        }
        self.passes = passes
    }

    /// Transforms lanes `lanes` of the batch in place. `scratchRe`/`scratchIm` hold at least
    /// `count * lanes.count` values.
    func transform(
        re: UnsafeMutablePointer<Double>, im: UnsafeMutablePointer<Double>, stride: Int, lanes: Range<Int>,
        inverse: Bool, scratchRe: UnsafeMutablePointer<Double>, scratchIm: UnsafeMutablePointer<Double>
    ) {
        let width = lanes.count
        guard count > 1, width > 0 else { return }
        // Gather into a dense (element, lane) block, run the passes between it and the scratch, scatter back.
        var xRe = scratchRe
        var xIm = scratchIm
        var yRe = scratchRe + count * width
        var yIm = scratchIm + count * width
        for t in 0..<count {
            for c in 0..<width {
                xRe[t * width + c] = re[t * stride + lanes.lowerBound + c]
                xIm[t * width + c] = im[t * stride + lanes.lowerBound + c]
            }
        }
        let sign: Double = inverse ? -1 : 1
        var s = 1
        for pass in passes {
            let m = pass.length / pass.radix
            pass.twiddleRe.withUnsafeBufferPointer { twRe in
                pass.twiddleIm.withUnsafeBufferPointer { twIm in
                    Self.radixPass(
                        pass.radix, m: m, s: s, width: width, xRe: xRe, xIm: xIm, yRe: yRe, yIm: yIm,
                        twRe: twRe.baseAddress!, twIm: twIm.baseAddress!, sign: sign)
                }
            }
            swap(&xRe, &yRe)
            swap(&xIm, &yIm)
            s *= pass.radix
        }
        for t in 0..<count {
            for c in 0..<width {
                re[t * stride + lanes.lowerBound + c] = xRe[t * width + c]
                im[t * stride + lanes.lowerBound + c] = xIm[t * width + c]
            }
        }
    }

    /// One Stockham pass: x[q + s(p + jm)] (j < radix) → y[q + s(radix·p + u)] = w^{up} Σ_j ω^{uj} x[…], every
    /// index scaled by the lane width.
    @inline(__always)
    private static func radixPass(
        _ radix: Int, m: Int, s: Int, width: Int,
        xRe: UnsafeMutablePointer<Double>, xIm: UnsafeMutablePointer<Double>,
        yRe: UnsafeMutablePointer<Double>, yIm: UnsafeMutablePointer<Double>,
        twRe: UnsafePointer<Double>, twIm: UnsafePointer<Double>, sign: Double
    ) {
        let block = s * width
        switch radix {
        case 2:
            for p in 0..<m {
                let wr = twRe[p], wi = sign * twIm[p]
                let a = p * block, b = (p + m) * block
                let o0 = 2 * p * block, o1 = (2 * p + 1) * block
                for e in 0..<block {
                    let ar = xRe[a + e], ai = xIm[a + e], br = xRe[b + e], bi = xIm[b + e]
                    yRe[o0 + e] = ar + br
                    yIm[o0 + e] = ai + bi
                    let dr = ar - br, di = ai - bi
                    yRe[o1 + e] = dr * wr - di * wi
                    yIm[o1 + e] = dr * wi + di * wr
                }
            }
        case 3:
            // ω = e^{∓2πi/3} = −1/2 ∓ i√3/2.
            let h = sign * 0.866_025_403_784_438_6
            for p in 0..<m {
                let w1r = twRe[p], w1i = sign * twIm[p]
                let w2r = twRe[m + p], w2i = sign * twIm[m + p]
                let a = p * block, b = (p + m) * block, c = (p + 2 * m) * block
                let o0 = 3 * p * block, o1 = o0 + block, o2 = o1 + block
                for e in 0..<block {
                    let ar = xRe[a + e], ai = xIm[a + e]
                    let br = xRe[b + e], bi = xIm[b + e]
                    let cr = xRe[c + e], ci = xIm[c + e]
                    let sr = br + cr, si = bi + ci
                    let tr = ar - 0.5 * sr, ti = ai - 0.5 * si
                    // −i·h·(b − c)
                    let ur = h * (bi - ci), ui = -h * (br - cr)
                    yRe[o0 + e] = ar + sr
                    yIm[o0 + e] = ai + si
                    let x1r = tr + ur, x1i = ti + ui
                    let x2r = tr - ur, x2i = ti - ui
                    yRe[o1 + e] = x1r * w1r - x1i * w1i
                    yIm[o1 + e] = x1r * w1i + x1i * w1r
                    yRe[o2 + e] = x2r * w2r - x2i * w2i
                    yIm[o2 + e] = x2r * w2i + x2i * w2r
                }
            }
        default:  // 4
            for p in 0..<m {
                let w1r = twRe[p], w1i = sign * twIm[p]
                let w2r = twRe[m + p], w2i = sign * twIm[m + p]
                let w3r = twRe[2 * m + p], w3i = sign * twIm[2 * m + p]
                let a = p * block, b = (p + m) * block, c = (p + 2 * m) * block, d = (p + 3 * m) * block
                let o0 = 4 * p * block, o1 = o0 + block, o2 = o1 + block, o3 = o2 + block
                for e in 0..<block {
                    let ar = xRe[a + e], ai = xIm[a + e]
                    let br = xRe[b + e], bi = xIm[b + e]
                    let cr = xRe[c + e], ci = xIm[c + e]
                    let dr = xRe[d + e], di = xIm[d + e]
                    let s0r = ar + cr, s0i = ai + ci
                    let d0r = ar - cr, d0i = ai - ci
                    let s1r = br + dr, s1i = bi + di
                    // ∓i (b − d): the forward transform multiplies by −i.
                    let d1r = sign * (bi - di), d1i = -sign * (br - dr)
                    yRe[o0 + e] = s0r + s1r
                    yIm[o0 + e] = s0i + s1i
                    let x1r = d0r + d1r, x1i = d0i + d1i
                    let x2r = s0r - s1r, x2i = s0i - s1i
                    let x3r = d0r - d1r, x3i = d0i - d1i
                    yRe[o1 + e] = x1r * w1r - x1i * w1i
                    yIm[o1 + e] = x1r * w1i + x1i * w1r
                    yRe[o2 + e] = x2r * w2r - x2i * w2i
                    yIm[o2 + e] = x2r * w2i + x2i * w2r
                    yRe[o3 + e] = x3r * w3r - x3i * w3i
                    yIm[o3 + e] = x3r * w3i + x3i * w3r
                }
            }
        }
    }
}

/// Fourier transforms of a square L × L (or length-L) complex grid, rows then columns, spread over threads in
/// fixed lane blocks so the result does not depend on the thread count.
struct _GridFFT: Sendable {
    let plan: _FFTPlan
    let dims: Int

    var side: Int { plan.count }

    /// Transforms the grid (`side^dims` values, row-major) in place.
    func transform(re: inout [Double], im: inout [Double], inverse: Bool, threads: Int) {
        let n = side
        let plan = self.plan
        re.withUnsafeMutableBufferPointer { reBuffer in
            im.withUnsafeMutableBufferPointer { imBuffer in
                let reBase = _SendablePointer(reBuffer.baseAddress!)
                let imBase = _SendablePointer(imBuffer.baseAddress!)
                if dims == 1 {
                    let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 4 * n)
                    defer { scratch.deallocate() }
                    plan.transform(
                        re: reBase.pointer, im: imBase.pointer, stride: 1, lanes: 0..<1, inverse: inverse,
                        scratchRe: scratch, scratchIm: scratch + 2 * n)
                    return
                }
                // Columns (batched: element t of every column is one contiguous row, so the butterflies run over
                // contiguous lanes), then a transpose turns the rows into columns for the second pass, and a second
                // transpose restores the layout.
                for _ in 0..<2 {
                    _parallelBlocks(count: n, blockSize: Self.lanesPerCall, threads: threads) { columns in
                        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 4 * n * columns.count)
                        defer { scratch.deallocate() }
                        plan.transform(
                            re: reBase.pointer, im: imBase.pointer, stride: n, lanes: columns, inverse: inverse,
                            scratchRe: scratch, scratchIm: scratch + 2 * n * columns.count)
                    }
                    Self.transpose(reBase.pointer, side: n)
                    Self.transpose(imBase.pointer, side: n)
                }
            }
        }
    }

    static let lanesPerCall = 32

    /// Transposes a square matrix in place, in tiles.
    static func transpose(_ m: UnsafeMutablePointer<Double>, side n: Int) {
        let tile = 32
        var bi = 0
        while bi < n {
            var bj = bi
            while bj < n {
                for i in bi..<min(bi + tile, n) {
                    for j in max(bj, i + 1)..<max(max(bj, i + 1), min(bj + tile, n)) {
                        let t = m[i * n + j]
                        m[i * n + j] = m[j * n + i]
                        m[j * n + i] = t
                    }
                }
                bj += tile
            }
            bi += tile
        }
    }
}

/// A pointer handed to the workers of `_parallelBlocks`, which write disjoint parts of it.
struct _SendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>
    init(_ pointer: UnsafeMutablePointer<Double>) { self.pointer = pointer }
}
