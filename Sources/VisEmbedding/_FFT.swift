import CVisKernels
import Foundation

/// A complex discrete Fourier transform of one length of the form 2^a · 3^b · 5^c (Stockham autosort, decimation
/// in frequency, radix 4, 2, 3 and 5 passes — `vis_fft_pass_f64` in CVisKernels, vectorised over the lanes), applied to a
/// batch of sequences gathered side by side. Real and imaginary parts are separate arrays so that the lane loop
/// vectorises.
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
    /// Elements per tile of the row gather and scatter (a cache line of doubles).
    static let tile = 8

    /// The smallest length at least `minimum` that is a multiple of 6 (so that a grid of three nodes per interval
    /// uses every element) with no prime factor above 5 (so that the passes stay cheap). Such lengths are dense
    /// (300, 320, 360, 384, 390, 400, …): the grid is rarely more than a few per cent larger than needed.
    static func size(atLeast minimum: Int) -> Int {
        var candidate = max(6, (minimum + 5) / 6 * 6)
        while true {
            var rest = candidate
            for factor in [2, 3, 5] { while rest % factor == 0 { rest /= factor } }
            if rest == 1 { return candidate }
            candidate += 6
        }
    }

    /// A plan for `count` = 2^a · 3^b · 5^c, or `nil` for other lengths.
    init?(count: Int) {
        guard count >= 1 else { return nil }
        var rest = count
        var radices: [Int] = []
        while rest % 4 == 0 { radices.append(4); rest /= 4 }
        while rest % 2 == 0 { radices.append(2); rest /= 2 }
        while rest % 3 == 0 { radices.append(3); rest /= 3 }
        while rest % 5 == 0 { radices.append(5); rest /= 5 }
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

    /// Transforms lanes `lanes` of the batch in place: element t of lane c is at `t * stride + c * laneStride`.
    /// Elements from `nonzeroInputs` on are taken as zero without being read (the zero padding of a convolution),
    /// and only the first `neededOutputs` results are written back. `scratchRe`/`scratchIm` hold at least
    /// `2 * count * lanes.count` values.
    func transform(
        re: UnsafeMutablePointer<Double>, im: UnsafeMutablePointer<Double>, stride: Int, laneStride: Int = 1,
        lanes: Range<Int>, inverse: Bool, nonzeroInputs: Int? = nil, neededOutputs: Int? = nil,
        scratchRe: UnsafeMutablePointer<Double>, scratchIm: UnsafeMutablePointer<Double>
    ) {
        let width = lanes.count
        guard count > 1, width > 0 else { return }
        let inputs = min(count, nonzeroInputs ?? count)
        let outputs = min(count, neededOutputs ?? count)
        // Gather into a dense (element, lane) block, run the passes between it and the scratch, scatter back.
        var xRe = scratchRe
        var xIm = scratchIm
        var yRe = scratchRe + count * width
        var yIm = scratchIm + count * width
        for (grid, dense) in [(re, xRe), (im, xIm)] {
            Self.copyLanes(
                grid: grid, dense: dense, stride: stride, laneStride: laneStride, firstLane: lanes.lowerBound,
                width: width, elements: inputs, toDense: true)
        }
        if inputs < count {
            (xRe + inputs * width).initialize(repeating: 0, count: (count - inputs) * width)
            (xIm + inputs * width).initialize(repeating: 0, count: (count - inputs) * width)
        }
        let sign: Double = inverse ? -1 : 1
        var s = 1
        for pass in passes {
            let m = pass.length / pass.radix
            pass.twiddleRe.withUnsafeBufferPointer { twRe in
                pass.twiddleIm.withUnsafeBufferPointer { twIm in
                    vis_fft_pass_f64(
                        Int32(pass.radix), m, s, width, xRe, xIm, yRe, yIm, twRe.baseAddress!, twIm.baseAddress!, sign)
                }
            }
            swap(&xRe, &yRe)
            swap(&xIm, &yIm)
            s *= pass.radix
        }
        for (grid, dense) in [(re, xRe), (im, xIm)] {
            Self.copyLanes(
                grid: grid, dense: dense, stride: stride, laneStride: laneStride, firstLane: lanes.lowerBound,
                width: width, elements: outputs, toDense: false)
        }
    }

    /// Copies elements `0..<elements` of `width` lanes between the grid (element t of lane c at
    /// `t * stride + (firstLane + c) * laneStride`) and the dense block (at `t * width + c`), in either direction.
    @inline(__always)
    private static func copyLanes(
        grid: UnsafeMutablePointer<Double>, dense: UnsafeMutablePointer<Double>, stride: Int, laneStride: Int,
        firstLane: Int, width: Int, elements: Int, toDense: Bool
    ) {
        if laneStride == 1 {
            for t in 0..<elements {
                let row = grid + t * stride + firstLane
                if toDense { (dense + t * width).update(from: row, count: width) } else {
                    row.update(from: dense + t * width, count: width)
                }
            }
            return
        }
        // Lanes are rows here: a transpose, in tiles of `tile` elements so that both sides stay in cache.
        var t0 = 0
        while t0 < elements {
            let t1 = min(t0 + tile, elements)
            for c in 0..<width {
                let lane = grid + (firstLane + c) * laneStride
                for t in t0..<t1 {
                    if toDense { dense[t * width + c] = lane[t * stride] } else { lane[t * stride] = dense[t * width + c] }
                }
            }
            t0 = t1
        }
    }
}

/// Fourier transforms of a square L × L (or length-L) complex grid, spread over threads in fixed lane blocks so the
/// result does not depend on the thread count.
///
/// The 2-D transforms run the column transforms (lanes contiguous, so the butterflies vectorise over columns), then
/// the row transforms reading each row contiguously; no transposes. For a convolution whose data fill only the
/// first M × M corner (`forwardPadded`) and whose result is read only there (`inversePadded`), the transforms of
/// all-zero columns and of unread columns are skipped: 1.5 L one-dimensional transforms per 2-D transform instead
/// of 2 L.
struct _GridFFT: Sendable {
    let plan: _FFTPlan
    let dims: Int

    var side: Int { plan.count }

    /// Transforms the whole grid (`side^dims` values, row-major) in place.
    func transform(re: inout [Double], im: inout [Double], inverse: Bool, threads: Int) {
        transform(re: &re, im: &im, inverse: inverse, nonzero: nil, needed: nil, threads: threads)
    }

    /// The passes of a transform: columns then rows forward, rows then columns inverse, so that the all-zero
    /// columns past `nonzero` are skipped going forward and the unread columns past `needed` coming back.
    private func transform(
        re: inout [Double], im: inout [Double], inverse: Bool, nonzero: Int?, needed: Int?, threads: Int
    ) {
        let n = side
        if dims == 1 {
            run(re: &re, im: &im, inverse: inverse, threads: threads, phases: [
                Phase(stride: 1, laneStride: 1, lanes: 0..<1, nonzeroInputs: nonzero, neededOutputs: needed),
            ])
            return
        }
        let columns = Phase(
            stride: n, laneStride: 1, lanes: 0..<(inverse ? needed ?? n : nonzero ?? n), nonzeroInputs: nonzero,
            neededOutputs: needed)
        let rows = Phase(stride: 1, laneStride: n, lanes: 0..<n, nonzeroInputs: nonzero, neededOutputs: needed)
        run(re: &re, im: &im, inverse: inverse, threads: threads, phases: inverse ? [rows, columns] : [columns, rows])
    }

    /// The forward transform of a real grid that is even along every axis (x[u] = x[L − u]), such as a kernel of
    /// the distance laid out circulantly: its transform is real and even too, so only the lanes up to L / 2 are
    /// transformed and the others copied — half the work of ``transform(re:im:inverse:threads:)``.
    func forwardEven(re: inout [Double], im: inout [Double], threads: Int) {
        let n = side
        if dims == 1 {
            transform(re: &re, im: &im, inverse: false, threads: threads)
            return
        }
        let half = n / 2 + 1
        // Columns c and L − c are equal, so are their transforms.
        run(re: &re, im: &im, inverse: false, threads: threads, phases: [
            Phase(stride: n, laneStride: 1, lanes: 0..<half, nonzeroInputs: nil, neededOutputs: nil),
        ])
        Self.mirrorColumns(&re, side: n)
        Self.mirrorColumns(&im, side: n)
        // Now rows r and L − r are equal: transform the first half of them and copy.
        run(re: &re, im: &im, inverse: false, threads: threads, phases: [
            Phase(stride: 1, laneStride: n, lanes: 0..<half, nonzeroInputs: nil, neededOutputs: nil),
        ])
        Self.mirrorRows(&re, side: n)
        Self.mirrorRows(&im, side: n)
    }

    /// Column c ← column L − c for the second half of the columns.
    private static func mirrorColumns(_ grid: inout [Double], side n: Int) {
        grid.withUnsafeMutableBufferPointer { grid in
            for r in 0..<n {
                let row = grid.baseAddress! + r * n
                for c in (n / 2 + 1)..<max(n / 2 + 1, n) { row[c] = row[n - c] }
            }
        }
    }

    /// Row r ← row L − r for the second half of the rows.
    private static func mirrorRows(_ grid: inout [Double], side n: Int) {
        grid.withUnsafeMutableBufferPointer { grid in
            let base = grid.baseAddress!
            for r in (n / 2 + 1)..<max(n / 2 + 1, n) { (base + r * n).update(from: base + (n - r) * n, count: n) }
        }
    }

    /// The forward transform of a grid that is zero outside its first `nonzero` elements per axis.
    func forwardPadded(re: inout [Double], im: inout [Double], nonzero m: Int, threads: Int) {
        transform(re: &re, im: &im, inverse: false, nonzero: m, needed: nil, threads: threads)
    }

    /// The inverse transform, correct only in the first `needed` elements per axis (the rest is left stale).
    func inversePadded(re: inout [Double], im: inout [Double], needed m: Int, threads: Int) {
        transform(re: &re, im: &im, inverse: true, nonzero: nil, needed: m, threads: threads)
    }

    struct Phase {
        var stride: Int
        var laneStride: Int
        var lanes: Range<Int>
        var nonzeroInputs: Int?
        var neededOutputs: Int?
    }

    private func run(re: inout [Double], im: inout [Double], inverse: Bool, threads: Int, phases: [Phase]) {
        let n = side
        let plan = self.plan
        re.withUnsafeMutableBufferPointer { reBuffer in
            im.withUnsafeMutableBufferPointer { imBuffer in
                let reBase = _SendablePointer(reBuffer.baseAddress!)
                let imBase = _SendablePointer(imBuffer.baseAddress!)
                for phase in phases {
                    _parallelBlocks(count: phase.lanes.count, blockSize: Self.lanesPerCall, threads: threads) { block in
                        let lanes = (phase.lanes.lowerBound + block.lowerBound)..<(phase.lanes.lowerBound + block.upperBound)
                        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 4 * n * lanes.count)
                        defer { scratch.deallocate() }
                        plan.transform(
                            re: reBase.pointer, im: imBase.pointer, stride: phase.stride, laneStride: phase.laneStride,
                            lanes: lanes, inverse: inverse, nonzeroInputs: phase.nonzeroInputs,
                            neededOutputs: phase.neededOutputs, scratchRe: scratch,
                            scratchIm: scratch + 2 * n * lanes.count)
                    }
                }
            }
        }
    }

    static let lanesPerCall = 32
}

/// A pointer handed to the workers of `_parallelBlocks`, which write disjoint parts of it.
struct _SendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>
    init(_ pointer: UnsafeMutablePointer<Double>) { self.pointer = pointer }
}
