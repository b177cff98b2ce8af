/// PyTorch's CPU bilinear resize (`F.interpolate(x, size, mode="bilinear", align_corners=False)`) of a 1×C×H×W
/// tensor, as MMEngine's `draw_featmap` calls it, reproduced to the bit, one channel or one run of rows at a time.
///
/// PyTorch picks one of two kernels (ATen `UpSampleKernel.cpp`, `upsample_bilinear2d_kernel_impl_float`), and
/// its x86 build contracts multiply-adds into FMAs, so the rounding depends on the kernel:
///
/// - **generic** (output H'+W' > 128): per plane, `top = fma(x00, w0, x01·w1)`, `bottom = fma(x10, w0, x11·w1)`,
///   `out = fma(top, h0, bottom·h1)`. Horizontal first, so rows can be shared by output rows.
/// - **channels-last** (output H'+W' ≤ 128): with `w00 = h0·w0` etc., channels in whole AVX2 vectors (8 `Float`s,
///   4 `Double`s) get `fma(x00, w00, fma(x01, w01, fma(x11, w11, x10·w10)))`, the remaining `C mod 8` channels
///   `fma(x11, w11, fma(x10, w10, fma(x00, w00, x01·w01)))` — so a channel's values depend on its index and C.
///
/// Weights follow `area_pixel_compute_source_index`, `max(in/out·(o+0.5)−0.5, 0)` in the map's precision,
/// contracted into an FMA everywhere except in the float32 generic kernel (which computes its indices apart). Verified against torch 2.15 on x86-64 (float32 and float64, both kernels, vector and tail
/// channels). PyTorch also takes the channels-last kernel for C = 3 when it runs on a single thread; that case
/// follows the generic kernel here (a last-bit difference).
///
/// VisCore's `NDArray.resizedBilinear` rounds every product and sum separately, which differs from PyTorch in
/// the last bit for weights that are not short binary fractions; feature maps therefore use this type.
struct _TorchBilinear<T: _FeatmapScalar>: Sendable {
    /// Which of PyTorch's kernels the sizes select.
    enum Kernel: Sendable, Equatable {
        /// Same size: MMEngine does not interpolate (and PyTorch's identity resize is exact).
        case identity
        case generic
        /// `vectorChannels` = C − C mod (lanes): the channels computed with vector arithmetic.
        case channelsLast(vectorChannels: Int)
    }

    let channels: Int
    let height: Int
    let width: Int
    let outHeight: Int
    let outWidth: Int
    let kernel: Kernel
    private let rows: _TorchLinearTaps<T>
    private let columns: _TorchLinearTaps<T>

    init(channels: Int, height: Int, width: Int, outHeight: Int, outWidth: Int) {
        self.channels = channels
        self.height = height
        self.width = width
        self.outHeight = outHeight
        self.outWidth = outWidth
        if height == outHeight && width == outWidth {
            kernel = .identity
        } else if outHeight + outWidth <= 128 {
            let lanes = 32 / MemoryLayout<T>.size
            kernel = .channelsLast(vectorChannels: channels - channels % lanes)
        } else {
            kernel = .generic
        }
        let fused = kernel != .generic || T.self == Double.self
        rows = _TorchLinearTaps(input: height, output: outHeight, fusedSourceIndex: fused)
        columns = _TorchLinearTaps(input: width, output: outWidth, fusedSourceIndex: fused)
    }

    /// Runs of consecutive output rows that read the same two source rows (all rows for the identity).
    var rowGroups: [Range<Int>] {
        if kernel == .identity { return [0..<outHeight] }
        var groups: [Range<Int>] = []
        var start = 0
        for row in 1...outHeight
        where row == outHeight || rows.lower[row] != rows.lower[start] || rows.upper[row] != rows.upper[start] {
            groups.append(start..<row)
            start = row
        }
        return groups
    }

    /// The resized value of `channel` at flat output position `index` (row-major H'×W').
    func value(_ planes: UnsafeBufferPointer<T>, channel: Int, at index: Int) -> T {
        let (row, column) = index.quotientAndRemainder(dividingBy: outWidth)
        let base = channel * height * width
        switch kernel {
        case .identity:
            return planes[base + index]
        case .generic:
            let top = horizontal(planes, row: base + rows.lower[row] * width, column: column)
            let bottom = horizontal(planes, row: base + rows.upper[row] * width, column: column)
            return vertical(top, bottom, row: row)
        case .channelsLast(let vectorChannels):
            let top = base + rows.lower[row] * width
            let bottom = base + rows.upper[row] * width
            let (left, right) = (columns.lower[column], columns.upper[column])
            let (h0, h1) = (rows.lowerWeight[row], rows.upperWeight[row])
            let (w0, w1) = (columns.lowerWeight[column], columns.upperWeight[column])
            let (x00, x01, x10, x11) = (planes[top + left], planes[top + right], planes[bottom + left], planes[bottom + right])
            let (w00, w01, w10, w11) = (h0 * w0, h0 * w1, h1 * w0, h1 * w1)
            let fma = T._fusedMultiplyAdd
            if channel < vectorChannels {
                return fma(x00, w00, fma(x01, w01, fma(x11, w11, x10 * w10)))
            }
            return fma(x11, w11, fma(x10, w10, fma(x00, w00, x01 * w01)))
        }
    }

    /// A plane resized with these taps in `Double`, each product and sum rounded to `Double`: within a few
    /// `Double` ulps of the real-number value of PyTorch's formula (which is linear, so the resize of a channel
    /// mean is the mean of the resized channels up to rounding).
    func approximateResize(_ plane: [Double]) -> [Double] {
        var output = [Double](repeating: 0, count: outHeight * outWidth)
        plane.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                for row in 0..<outHeight {
                    let top = rows.lower[row] * width
                    let bottom = rows.upper[row] * width
                    let (h0, h1) = (Double(rows.lowerWeight[row]), Double(rows.upperWeight[row]))
                    for column in 0..<outWidth {
                        let (left, right) = (columns.lower[column], columns.upper[column])
                        let (w0, w1) = (Double(columns.lowerWeight[column]), Double(columns.upperWeight[column]))
                        let upper = input[top + left] * w0 + input[top + right] * w1
                        let lower = input[bottom + left] * w0 + input[bottom + right] * w1
                        output[row * outWidth + column] = upper * h0 + lower * h1
                    }
                }
            }
        }
        return output
    }

    /// One channel resized: an H'×W' plane.
    func resized(_ planes: UnsafeBufferPointer<T>, channel: Int) -> [T] {
        var plane = [T](repeating: 0, count: outHeight * outWidth)
        var scratch = _TorchBilinearScratch<T>(width: outWidth)
        plane.withUnsafeMutableBufferPointer { plane in
            fill(planes, channel: channel, rows: 0..<outHeight, into: plane, scratch: &scratch)
        }
        return plane
    }

    /// Writes the resized rows `rows` of `channel` (one of ``rowGroups`` for the generic kernel, which shares
    /// the two interpolated source rows) into `output`, row after row.
    func fill(
        _ planes: UnsafeBufferPointer<T>, channel: Int, rows outputRows: Range<Int>,
        into output: UnsafeMutableBufferPointer<T>, scratch: inout _TorchBilinearScratch<T>
    ) {
        let plane = height * width
        switch kernel {
        case .identity:
            let start = channel * plane + outputRows.lowerBound * width
            _ = output.initialize(from: planes[start..<(start + outputRows.count * width)])
        case .generic:
            var (sharedTop, sharedBottom) = (-1, -1)
            for (offset, row) in outputRows.enumerated() {
                let (top, bottom) = (rows.lower[row], rows.upper[row])
                if top != sharedTop || bottom != sharedBottom {
                    interpolateRow(planes, at: channel * plane + top * width, into: &scratch.upperRow)
                    interpolateRow(planes, at: channel * plane + bottom * width, into: &scratch.lowerRow)
                    (sharedTop, sharedBottom) = (top, bottom)
                }
                let (h0, h1) = (rows.lowerWeight[row], rows.upperWeight[row])
                let base = offset * outWidth
                scratch.upperRow.withUnsafeBufferPointer { upperRow in
                    scratch.lowerRow.withUnsafeBufferPointer { lowerRow in
                        for column in 0..<outWidth {
                            output[base + column] = T._fusedMultiplyAdd(upperRow[column], h0, lowerRow[column] * h1)
                        }
                    }
                }
            }
        case .channelsLast:
            for (offset, row) in outputRows.enumerated() {
                for column in 0..<outWidth {
                    output[offset * outWidth + column] = value(planes, channel: channel, at: row * outWidth + column)
                }
            }
        }
    }

    /// The generic kernel's horizontal step: `fma(x[left], w0, x[right]·w1)`.
    @inline(__always)
    private func horizontal(_ planes: UnsafeBufferPointer<T>, row start: Int, column: Int) -> T {
        T._fusedMultiplyAdd(
            planes[start + columns.lower[column]], columns.lowerWeight[column],
            planes[start + columns.upper[column]] * columns.upperWeight[column])
    }

    /// The generic kernel's vertical step: `fma(top, h0, bottom·h1)`.
    @inline(__always)
    private func vertical(_ top: T, _ bottom: T, row: Int) -> T {
        T._fusedMultiplyAdd(top, rows.lowerWeight[row], bottom * rows.upperWeight[row])
    }

    private func interpolateRow(_ planes: UnsafeBufferPointer<T>, at start: Int, into row: inout [T]) {
        row.withUnsafeMutableBufferPointer { row in
            for column in 0..<outWidth { row[column] = horizontal(planes, row: start, column: column) }
        }
    }
}

/// Per-worker buffers of ``_TorchBilinear``: two horizontally interpolated source rows.
struct _TorchBilinearScratch<T: _FeatmapScalar> {
    var upperRow: [T]
    var lowerRow: [T]

    init(width: Int) {
        upperRow = [T](repeating: 0, count: width)
        lowerRow = [T](repeating: 0, count: width)
    }
}

/// PyTorch's per-axis linear interpolation taps for `align_corners=False` (`compute_source_index_and_lambda`),
/// computed in the map's precision: source `max(in/out·(o + 0.5) − 0.5, 0)` — fused into one FMA except in
/// the float32 generic kernel — then `lambda1 = source − floor(source)`, `lambda0 = 1 − lambda1`.
struct _TorchLinearTaps<T: _FeatmapScalar>: Sendable {
    let input: Int
    var lower: [Int] = []
    var upper: [Int] = []
    var lowerWeight: [T] = []
    var upperWeight: [T] = []

    init(input: Int, output: Int, fusedSourceIndex: Bool) {
        self.input = input
        let scale = T(input) / T(output)
        for index in 0..<output {
            let scaled = T(index) + T(0.5)
            let source = max(fusedSourceIndex ? T._fusedMultiplyAdd(scale, scaled, -0.5) : scale * scaled - T(0.5), 0)
            let low = min(Int(source), input - 1)
            let lambda = min(max(source - T(low), 0), 1)
            lower.append(low)
            upper.append(low + (low < input - 1 ? 1 : 0))
            upperWeight.append(lambda)
            lowerWeight.append(1 - lambda)
        }
    }

    /// Per source position, the total weight it gets over all outputs.
    func totalWeights() -> [Double] {
        var totals = [Double](repeating: 0, count: input)
        for index in lower.indices {
            totals[lower[index]] += Double(lowerWeight[index])
            totals[upper[index]] += Double(upperWeight[index])
        }
        return totals
    }
}
