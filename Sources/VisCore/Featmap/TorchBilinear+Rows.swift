import CVisKernels

/// One channel resized by PyTorch's generic (separable) bilinear kernel, an output row at a time: the channel's
/// source rows are interpolated horizontally once (the kernel's first step), and output row `r` is then
/// `fma(upper, h0, lower·h1)` of two of them. A heatmap is normalised by its range and then coloured, so its
/// rows are needed twice; computing them twice from these rows is cheaper than storing a large resized plane.
struct _TorchBilinearRows<T: _TorchFloat>: Sendable {
    /// The resize (its kernel is ``_TorchBilinear/Kernel/generic``).
    let resize: _TorchBilinear<T>
    /// Per source row, its position in ``interpolated``, or −1 when no output row reads it.
    let slots: [Int]
    /// The interpolated source rows, ``_TorchBilinear/outWidth`` values each.
    var interpolated: [T]

    /// Buffers for `resize`'s rows; ``load(_:channel:)`` fills them. `nil` unless the kernel is the generic one.
    init?(resize: _TorchBilinear<T>) {
        guard resize.kernel == .generic else { return nil }
        self.resize = resize
        let (slots, used) = resize._sourceRowSlots
        self.slots = slots
        interpolated = [T](repeating: 0, count: used * resize.outWidth)
    }

    /// Interpolates the source rows of `channel` of `planes` (C planes of H×W).
    mutating func load(_ planes: UnsafeBufferPointer<T>, channel: Int) {
        let (width, outWidth) = (resize.width, resize.outWidth)
        let base = channel * resize.height * width
        let resize = self.resize
        let slots = self.slots
        interpolated.withUnsafeMutableBufferPointer { rows in
            for (source, slot) in slots.enumerated() where slot >= 0 {
                resize.interpolateRow(
                    planes, at: base + source * width,
                    into: UnsafeMutableBufferPointer(rebasing: rows[(slot * outWidth)..<((slot + 1) * outWidth)]))
            }
        }
    }

    /// The smallest and largest value of the output rows `rows`; `nil` when one is NaN or infinite (a finite
    /// map near its type's limits can overflow).
    func finiteRange(rows: Range<Int>) -> (minimum: T, maximum: T)? {
        var (minimum, maximum) = (T.infinity, -T.infinity)
        var finite = true
        for row in rows {
            withSources(of: row) { upper, h0, lower, h1 in
                finite = T._fusedMultiplyAddRowRange(
                    upper, h0, lower, h1, count: resize.outWidth, minimum: &minimum, maximum: &maximum) && finite
            }
        }
        return finite && minimum <= maximum ? (minimum, maximum) : nil
    }

    /// Output row `row`'s levels under `normalizer`, written to `output` (``_TorchBilinear/outWidth`` values).
    func levels(row: Int, normalizer: _MinMaxNormalizer<T>, into output: UnsafeMutableBufferPointer<UInt8>) {
        withSources(of: row) { upper, h0, lower, h1 in
            normalizer._levels(upper: upper, h0, lower: lower, h1, into: output)
        }
    }

    /// Output row `row`'s values, written to `output` (``_TorchBilinear/outWidth`` values).
    func values(row: Int, into output: UnsafeMutableBufferPointer<T>) {
        withSources(of: row) { upper, h0, lower, h1 in T._fusedMultiplyAddRow(upper, h0, lower, h1, into: output) }
    }

    /// The two interpolated rows output row `row` blends, with their weights.
    func withSources<Result>(
        of row: Int, _ body: (UnsafeBufferPointer<T>, T, UnsafeBufferPointer<T>, T) -> Result
    ) -> Result {
        let outWidth = resize.outWidth
        let upper = slots[resize.rows.lower[row]] * outWidth
        let lower = slots[resize.rows.upper[row]] * outWidth
        return interpolated.withUnsafeBufferPointer { rows in
            body(
                UnsafeBufferPointer(rebasing: rows[upper..<(upper + outWidth)]), resize.rows.lowerWeight[row],
                UnsafeBufferPointer(rebasing: rows[lower..<(lower + outWidth)]), resize.rows.upperWeight[row])
        }
    }
}

/// A map and its error-bound plane resized with a ``_TorchBilinear``'s taps in `Double`, row by row, for the
/// bounded feature-map mean: each product and sum rounded to `Double` (horizontal step first, then
/// `upper·h0 + lower·h1`, never fused), within a few `Double` ulps of the real-number value of PyTorch's formula.
/// PyTorch's resize is linear, so the resize of a channel mean is the mean of the resized channels up to rounding.
///
/// The row passes run the `CVisKernels` vector kernels when ``_VectorKernels/available``; the Swift loops here
/// are their twins, operation for operation.
struct _ApproximateBilinearRows<T: _TorchFloat>: Sendable {
    /// The resize whose taps (in `T`, then widened) are used.
    let resize: _TorchBilinear<T>
    let slots: [Int]
    /// The interpolated source rows of the values, then of the bounds.
    let values: [Double]
    let bounds: [Double]

    /// Interpolates the source rows of `values` and `bounds` (each H×W, the resize's input size).
    init(resize: _TorchBilinear<T>, values: UnsafeBufferPointer<Double>, bounds: UnsafeBufferPointer<Double>) {
        self.resize = resize
        let (slots, used) = resize._sourceRowSlots
        self.slots = slots
        let (width, outWidth) = (resize.width, resize.outWidth)
        let columns = resize.columns
        func interpolate(_ plane: UnsafeBufferPointer<Double>) -> [Double] {
            [Double](unsafeUninitializedCapacity: used * outWidth) { rows, initialized in
                for (source, slot) in slots.enumerated() where slot >= 0 {
                    let (start, target) = (source * width, slot * outWidth)
                    for column in 0..<outWidth {
                        let (w0, w1) = (Double(columns.lowerWeight[column]), Double(columns.upperWeight[column]))
                        rows[target + column] =
                            plane[start + columns.lower[column]] * w0 + plane[start + columns.upper[column]] * w1
                    }
                }
                initialized = used * outWidth
            }
        }
        self.values = interpolate(values)
        self.bounds = interpolate(bounds)
    }

    /// Output row `row` of the values, written to `output` (``_TorchBilinear/outWidth`` values). `vectorized`
    /// selects the vector kernel (for its differential tests; the default is the fastest).
    func values(
        row: Int, into output: UnsafeMutableBufferPointer<Double>, vectorized: Bool = _VectorKernels.available
    ) {
        withSources(of: row) { v0, v1, _, _, h0, h1 in
            let count = resize.outWidth
            if vectorized, let a = v0.baseAddress, let b = v1.baseAddress, let target = output.baseAddress {
                return vis_lerp_f64(a, h0, b, h1, target, count)
            }
            for column in 0..<count { output[column] = v0[column] * h0 + v1[column] * h1 }
        }
    }

    /// Folds output row `row`'s range into `minimum` and `maximum`, and its largest error bound
    /// `factor·bound + twoUnit·|value|` into `largestError`; `false` when a value or bound is NaN or infinite.
    func foldRange(
        row: Int, factor: Double, twoUnit: Double, minimum: inout Double, maximum: inout Double,
        largestError: inout Double, vectorized: Bool = _VectorKernels.available
    ) -> Bool {
        withSources(of: row) { v0, v1, b0, b1, h0, h1 in
            let count = resize.outWidth
            if vectorized, let s0 = v0.baseAddress, let s1 = v1.baseAddress, let m0 = b0.baseAddress,
                let m1 = b1.baseAddress
            {
                return vis_mean_range_f64(
                    s0, s1, m0, m1, h0, h1, count, factor, twoUnit, &minimum, &maximum, &largestError) != 0
            }
            var (low, high, largest, poison) = (minimum, maximum, largestError, 0.0)
            for column in 0..<count {
                let value = v0[column] * h0 + v1[column] * h1
                let bound = b0[column] * h0 + b1[column] * h1
                let error = factor * bound + twoUnit * abs(value)
                largest = error > largest ? error : largest
                low = value < low ? value : low
                high = value > high ? value : high
                poison += (value - value) + (error - error)
            }
            (minimum, maximum, largestError) = (low, high, largest)
            return poison == 0
        }
    }

    /// Output row `row` as the bounded mean needs it: `mean[i]` = the value rounded to `T`, clamped to
    /// `low...high`; `uncertain[i]` = 1 when the level `(value − origin)·scale` is closer to an integer than
    /// `twoScale·(factor·bound + fourUnit·|value|) + evaluation`, or `|level| ≥ 2^51`, else 0.
    func meanLevels(
        row: Int, origin: Double, scale: Double, twoScale: Double, factor: Double, fourUnit: Double,
        evaluation: Double, low: T, high: T, mean: UnsafeMutableBufferPointer<T>,
        uncertain: UnsafeMutableBufferPointer<UInt8>, vectorized: Bool = _VectorKernels.available
    ) {
        withSources(of: row) { v0, v1, b0, b1, h0, h1 in
            let count = resize.outWidth
            if T.self == Float.self, vectorized, let s0 = v0.baseAddress, let s1 = v1.baseAddress,
                let m0 = b0.baseAddress, let m1 = b1.baseAddress, let target = mean.baseAddress,
                let flags = uncertain.baseAddress
            {
                return vis_mean_levels_f64(
                    s0, s1, m0, m1, h0, h1, count, origin, scale, twoScale, factor, fourUnit, evaluation, Float(low),
                    Float(high), UnsafeMutableRawPointer(target).assumingMemoryBound(to: Float.self), flags)
            }
            for column in 0..<count {
                let value = v0[column] * h0 + v1[column] * h1
                let bound = b0[column] * h0 + b1[column] * h1
                var rounded = T(value)
                rounded = low >= rounded ? low : rounded
                mean[column] = high < rounded ? high : rounded
                let level = (value - origin) * scale
                // Adding and subtracting 1.5·2^52 rounds to an integer for |level| < 2^51.
                let nearest = (level + 0x1.8p52) - 0x1.8p52
                let margin = twoScale * (factor * bound + fourUnit * abs(value)) + evaluation
                uncertain[column] = abs(level - nearest) < margin || !(abs(level) < 0x1p51) ? 1 : 0
            }
        }
    }

    /// The interpolated rows output row `row` blends (values, then bounds) and their weights.
    func withSources<Result>(
        of row: Int,
        _ body: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>,
            UnsafeBufferPointer<Double>, Double, Double) -> Result
    ) -> Result {
        let outWidth = resize.outWidth
        let upper = slots[resize.rows.lower[row]] * outWidth
        let lower = slots[resize.rows.upper[row]] * outWidth
        let (h0, h1) = (Double(resize.rows.lowerWeight[row]), Double(resize.rows.upperWeight[row]))
        return values.withUnsafeBufferPointer { values in
            bounds.withUnsafeBufferPointer { bounds in
                body(
                    UnsafeBufferPointer(rebasing: values[upper..<(upper + outWidth)]),
                    UnsafeBufferPointer(rebasing: values[lower..<(lower + outWidth)]),
                    UnsafeBufferPointer(rebasing: bounds[upper..<(upper + outWidth)]),
                    UnsafeBufferPointer(rebasing: bounds[lower..<(lower + outWidth)]), h0, h1)
            }
        }
    }
}
