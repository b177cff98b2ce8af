import CVisKernels

/// The precisions PyTorch-exact arithmetic is computed in: `Double` for `float64` maps, `Float` for every other
/// dtype (PyTorch's arithmetic for float tensors).
protocol _TorchFloat: BinaryFloatingPoint, NDArrayElement, Sendable, SendableMetatype {
    /// `a·b + c` with one rounding (PyTorch's and OpenCV's compiler-contracted multiply-adds).
    static func _fusedMultiplyAdd(_ a: Self, _ b: Self, _ c: Self) -> Self
    /// The value truncated toward zero, for values known to be in `Int`'s range (the concrete conversion: the
    /// generic `BinaryFloatingPoint` one goes through `significandWidth` and `exponent`, far slower).
    var _truncatedInt: Int { get }
    /// `output[i] = fma(a[i], b, c[i]·d)` for every `i` (the buffers have `output.count` elements): the generic
    /// kernel's vertical step over one row.
    static func _fusedMultiplyAddRow(
        _ a: UnsafeBufferPointer<Self>, _ b: Self, _ c: UnsafeBufferPointer<Self>, _ d: Self,
        into output: UnsafeMutableBufferPointer<Self>)
    /// The smallest and largest of `fma(a[i], b, c[i]·d)` for `i < count`, folded into `minimum` and `maximum`;
    /// `false` when one of those values is NaN or infinite.
    static func _fusedMultiplyAddRowRange(
        _ a: UnsafeBufferPointer<Self>, _ b: Self, _ c: UnsafeBufferPointer<Self>, _ d: Self, count: Int,
        minimum: inout Self, maximum: inout Self) -> Bool
}

extension _TorchFloat {
    /// ``_fusedMultiplyAddRowRange(_:_:_:_:count:minimum:maximum:)`` one element at a time: the reference, and
    /// the code wherever no vector kernel applies.
    static func _portableFusedMultiplyAddRowRange(
        _ a: UnsafeBufferPointer<Self>, _ b: Self, _ c: UnsafeBufferPointer<Self>, _ d: Self, count: Int,
        minimum: inout Self, maximum: inout Self
    ) -> Bool {
        var (low, high, poison) = (minimum, maximum, Self(0))
        for index in 0..<count {
            let value = _fusedMultiplyAdd(a[index], b, c[index] * d)
            low = value < low ? value : low
            high = value > high ? value : high
            poison += value - value
        }
        (minimum, maximum) = (low, high)
        return poison == 0
    }
}

extension Float: _TorchFloat {
    /// `a·b + c` rounded once, without a libm call: Swift's `addingProduct` becomes a call to `fmaf` on x86-64
    /// targets without FMA, too slow for millions of pixels. The product of two floats is exact in `Double`, and
    /// the `Double` sum rounded to `Float` is the correctly rounded result unless that sum is exactly halfway
    /// between two floats and inexact; then it is nudged by its rounding error (musl's `fmaf` does the same).
    @inline(__always)
    static func _fusedMultiplyAdd(_ a: Float, _ b: Float, _ c: Float) -> Float {
        let product = Double(a) * Double(b)
        let sum = product + Double(c)
        // Below the normal range a float rounds at another bit; leave those (rare) cases to libm.
        guard abs(sum) >= Double(Float.leastNormalMagnitude) else { return c.addingProduct(a, b) }
        guard sum.bitPattern & 0x1FFF_FFFF == 0x1000_0000 else { return Float(sum) }
        let addend = sum - product
        let error = (product - (sum - addend)) + (Double(c) - addend)
        guard error != 0 else { return Float(sum) }
        return Float(error > 0 ? sum.nextUp : sum.nextDown)
    }

    /// The value truncated toward zero (in `Int`'s range).
    @inline(__always)
    var _truncatedInt: Int { Int(self) }

    /// ``_fusedMultiplyAdd(_:_:_:)`` over a row: the vector kernel when ``_VectorKernels/available``, else
    /// ``_portableFusedMultiplyAddRow(_:_:_:_:into:)``.
    static func _fusedMultiplyAddRow(
        _ a: UnsafeBufferPointer<Float>, _ b: Float, _ c: UnsafeBufferPointer<Float>, _ d: Float,
        into output: UnsafeMutableBufferPointer<Float>
    ) {
        guard _VectorKernels.available, let first = a.baseAddress, let third = c.baseAddress,
            let target = output.baseAddress
        else { return _portableFusedMultiplyAddRow(a, b, c, d, into: output) }
        vis_fma_row_f32(first, b, third, d, target, output.count)
    }

    /// The vector kernel when ``_VectorKernels/available``, else
    /// ``_TorchFloat/_portableFusedMultiplyAddRowRange(_:_:_:_:count:minimum:maximum:)``.
    static func _fusedMultiplyAddRowRange(
        _ a: UnsafeBufferPointer<Float>, _ b: Float, _ c: UnsafeBufferPointer<Float>, _ d: Float, count: Int,
        minimum: inout Float, maximum: inout Float
    ) -> Bool {
        guard _VectorKernels.available, let first = a.baseAddress, let third = c.baseAddress else {
            return _portableFusedMultiplyAddRowRange(a, b, c, d, count: count, minimum: &minimum, maximum: &maximum)
        }
        return vis_fma_row_range_f32(first, b, third, d, count, &minimum, &maximum) != 0
    }

    /// ``_fusedMultiplyAdd(_:_:_:)`` over a row without FMA instructions, in two passes so that the common case
    /// vectorises: every sum in `Double` rounded to `Float`, with a flag for the elements that
    /// ``_fusedMultiplyAdd(_:_:_:)`` would not round that way (halfway sums, results below the normal range),
    /// which are then recomputed by it.
    static func _portableFusedMultiplyAddRow(
        _ a: UnsafeBufferPointer<Float>, _ b: Float, _ c: UnsafeBufferPointer<Float>, _ d: Float,
        into output: UnsafeMutableBufferPointer<Float>
    ) {
        let count = output.count
        let weight = Double(b)
        var special: UInt64 = 0
        for index in 0..<count {
            let sum = Double(a[index]) * weight + Double(c[index] * d)
            special |= sum.bitPattern & 0x1FFF_FFFF == 0x1000_0000 ? 1 : 0
            special |= abs(sum) >= Double(Float.leastNormalMagnitude) ? 0 : 1
            output[index] = Float(sum)
        }
        guard special != 0 else { return }
        for index in 0..<count {
            let sum = Double(a[index]) * weight + Double(c[index] * d)
            if sum.bitPattern & 0x1FFF_FFFF == 0x1000_0000 || !(abs(sum) >= Double(Float.leastNormalMagnitude)) {
                output[index] = _fusedMultiplyAdd(a[index], b, c[index] * d)
            }
        }
    }
}

extension Double: _TorchFloat {
    /// `a·b + c` rounded once.
    @inline(__always)
    static func _fusedMultiplyAdd(_ a: Double, _ b: Double, _ c: Double) -> Double { c.addingProduct(a, b) }
    /// The value truncated toward zero (in `Int`'s range).
    @inline(__always)
    var _truncatedInt: Int { Int(self) }

    /// ``_fusedMultiplyAdd(_:_:_:)`` over a row.
    static func _fusedMultiplyAddRow(
        _ a: UnsafeBufferPointer<Double>, _ b: Double, _ c: UnsafeBufferPointer<Double>, _ d: Double,
        into output: UnsafeMutableBufferPointer<Double>
    ) {
        for index in 0..<output.count { output[index] = _fusedMultiplyAdd(a[index], b, c[index] * d) }
    }

    /// ``_TorchFloat/_portableFusedMultiplyAddRowRange(_:_:_:_:count:minimum:maximum:)``.
    static func _fusedMultiplyAddRowRange(
        _ a: UnsafeBufferPointer<Double>, _ b: Double, _ c: UnsafeBufferPointer<Double>, _ d: Double, count: Int,
        minimum: inout Double, maximum: inout Double
    ) -> Bool {
        _portableFusedMultiplyAddRowRange(a, b, c, d, count: count, minimum: &minimum, maximum: &maximum)
    }
}

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
struct _TorchBilinear<T: _TorchFloat>: Sendable {
    /// Which of PyTorch's kernels the sizes select.
    enum Kernel: Sendable, Equatable {
        /// Same size: MMEngine does not interpolate (and PyTorch's identity resize is exact).
        case identity
        /// Separable: horizontal, then vertical (output H'+W' > 128).
        case generic
        /// `vectorChannels` = C − C mod (lanes): the channels computed with vector arithmetic.
        case channelsLast(vectorChannels: Int)
    }

    /// C, and the input and output plane sizes.
    let channels: Int
    /// Input rows.
    let height: Int
    /// Input columns.
    let width: Int
    /// Output rows.
    let outHeight: Int
    /// Output columns.
    let outWidth: Int
    /// The kernel PyTorch takes for these sizes.
    let kernel: Kernel
    let rows: _TorchLinearTaps<T>
    let columns: _TorchLinearTaps<T>

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

    /// `planes` (N·C planes of `height`×`width`, N×C×H×W row-major) resized plane by plane, as one call of
    /// `F.interpolate` on the whole N×C×H×W tensor computes them.
    static func resize(
        _ planes: [T], channels: Int, height: Int, width: Int, outHeight: Int, outWidth: Int
    ) -> [T] {
        let resize = _TorchBilinear(
            channels: channels, height: height, width: width, outHeight: outHeight, outWidth: outWidth)
        let (inPlane, outPlane) = (height * width, outHeight * outWidth)
        let count = planes.count / inPlane
        var scratch = _TorchBilinearScratch<T>(width: outWidth)
        return [T](unsafeUninitializedCapacity: count * outPlane) { output, initialized in
            planes.withUnsafeBufferPointer { input in
                for plane in 0..<count {
                    let batch = plane / channels * channels * inPlane
                    let tensor = UnsafeBufferPointer(rebasing: input[batch..<(batch + channels * inPlane)])
                    let target = UnsafeMutableBufferPointer(rebasing: output[(plane * outPlane)..<((plane + 1) * outPlane)])
                    resize.fill(tensor, channel: plane % channels, rows: 0..<outHeight, into: target, scratch: &scratch)
                }
            }
            initialized = count * outPlane
        }
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

    /// Every channel's resized value at flat output position `index` (row-major H'×W'), written to
    /// `output[0..<channels]`: ``value(_:channel:at:)`` for each channel, with the position's taps looked up once.
    func values(_ planes: UnsafeBufferPointer<T>, at index: Int, into output: UnsafeMutableBufferPointer<T>) {
        guard kernel == .generic else {
            for channel in 0..<channels { output[channel] = value(planes, channel: channel, at: index) }
            return
        }
        let (row, column) = index.quotientAndRemainder(dividingBy: outWidth)
        let (top, bottom) = (rows.lower[row] * width, rows.upper[row] * width)
        let (left, right) = (columns.lower[column], columns.upper[column])
        let (w0, w1) = (columns.lowerWeight[column], columns.upperWeight[column])
        let (h0, h1) = (rows.lowerWeight[row], rows.upperWeight[row])
        if T.self == Float.self, _VectorKernels.available, let input = planes.baseAddress, let target = output.baseAddress,
            planes.count >= channels * height * width, output.count >= channels
        {
            vis_bilinear_channels_f32(
                UnsafeRawPointer(input).assumingMemoryBound(to: Float.self), height * width, channels, top, bottom,
                left, right, Float(w0), Float(w1), Float(h0), Float(h1),
                UnsafeMutableRawPointer(target).assumingMemoryBound(to: Float.self))
            return
        }
        let fma = T._fusedMultiplyAdd
        var base = 0
        for channel in 0..<channels {
            let upper = fma(planes[base + top + left], w0, planes[base + top + right] * w1)
            let lower = fma(planes[base + bottom + left], w0, planes[base + bottom + right] * w1)
            output[channel] = fma(upper, h0, lower * h1)
            base += height * width
        }
    }

    /// Per source row, its position among the source rows some output row reads (−1 when none does), and how
    /// many rows are read.
    var _sourceRowSlots: (slots: [Int], used: Int) {
        var slots = [Int](repeating: -1, count: height)
        var used = 0
        for row in 0..<outHeight {
            for source in [rows.lower[row], rows.upper[row]] where slots[source] < 0 {
                slots[source] = used
                used += 1
            }
        }
        return (slots, used)
    }

    /// One channel resized: an H'×W' plane.
    func resized(_ planes: UnsafeBufferPointer<T>, channel: Int) -> [T] {
        var scratch = _TorchBilinearScratch<T>(width: outWidth)
        // `fill` writes every row, so the plane is not zeroed first.
        return [T](unsafeUninitializedCapacity: outHeight * outWidth) { plane, initialized in
            fill(planes, channel: channel, rows: 0..<outHeight, into: plane, scratch: &scratch)
            initialized = outHeight * outWidth
        }
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
                    // Upsampling moves down one source row at a time: the last lower row is the next upper one.
                    if top == sharedBottom {
                        swap(&scratch.upperRow, &scratch.lowerRow)
                    } else {
                        scratch.upperRow.withUnsafeMutableBufferPointer {
                            interpolateRow(planes, at: channel * plane + top * width, into: $0)
                        }
                    }
                    scratch.lowerRow.withUnsafeMutableBufferPointer {
                        interpolateRow(planes, at: channel * plane + bottom * width, into: $0)
                    }
                    (sharedTop, sharedBottom) = (top, bottom)
                }
                let (h0, h1) = (rows.lowerWeight[row], rows.upperWeight[row])
                let base = offset * outWidth
                scratch.upperRow.withUnsafeBufferPointer { upperRow in
                    scratch.lowerRow.withUnsafeBufferPointer { lowerRow in
                        T._fusedMultiplyAddRow(
                            upperRow, h0, lowerRow, h1,
                            into: UnsafeMutableBufferPointer(rebasing: output[base..<(base + outWidth)]))
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
    func horizontal(_ planes: UnsafeBufferPointer<T>, row start: Int, column: Int) -> T {
        T._fusedMultiplyAdd(
            planes[start + columns.lower[column]], columns.lowerWeight[column],
            planes[start + columns.upper[column]] * columns.upperWeight[column])
    }

    /// The generic kernel's vertical step: `fma(top, h0, bottom·h1)`.
    @inline(__always)
    func vertical(_ top: T, _ bottom: T, row: Int) -> T {
        T._fusedMultiplyAdd(top, rows.lowerWeight[row], bottom * rows.upperWeight[row])
    }

    /// The generic kernel's horizontal step over the source row at `start`: ``outWidth`` values into `row`.
    func interpolateRow(_ planes: UnsafeBufferPointer<T>, at start: Int, into row: UnsafeMutableBufferPointer<T>) {
        for column in 0..<outWidth { row[column] = horizontal(planes, row: start, column: column) }
    }
}

/// Per-worker buffers of ``_TorchBilinear``: two horizontally interpolated source rows.
struct _TorchBilinearScratch<T: _TorchFloat> {
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
struct _TorchLinearTaps<T: _TorchFloat>: Sendable {
    /// The input length.
    let input: Int
    /// Per output index, the lower source index.
    var lower: [Int] = []
    /// Per output index, the upper source index (clamped to the last).
    var upper: [Int] = []
    /// Per output index, the lower source's weight `lambda0`.
    var lowerWeight: [T] = []
    /// Per output index, the upper source's weight `lambda1`.
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
