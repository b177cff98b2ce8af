import CVisKernels

/// OpenCV's `NORM_MINMAX` normalisation to 0…255 followed by NumPy's truncating `uint8` cast, one value at a
/// time, so that callers can fuse it with what they do with the levels (colouring, blending).
struct _MinMaxNormalizer<T: _TorchFloat>: Sendable {
    /// The factor, `255·(1/(max−min))` rounded to `T` (0 for a constant map).
    let scale: T
    /// The offset, `−(min·scale)`.
    let shift: T

    /// The normaliser `fma(value, scale, shift)`.
    init(scale: T, shift: T) {
        (self.scale, self.shift) = (scale, shift)
    }

    /// The normaliser of `values`' finite range; `nil` when every value is NaN (or there are none).
    init?(_ values: UnsafeBufferPointer<T>) {
        var minimum = T.infinity
        var maximum = -T.infinity
        for value in values where !value.isNaN {
            minimum = min(minimum, value)
            maximum = max(maximum, value)
        }
        guard minimum <= maximum else { return nil }
        self.init(minimum: minimum, maximum: maximum)
    }

    /// The normaliser of the range `minimum...maximum` (`minimum <= maximum`), as OpenCV computes it.
    init(minimum: T, maximum: T) {
        if T.self == Double.self {
            let scale = maximum - minimum > T(Double.ulpOfOne) ? 255 * (1 / (maximum - minimum)) : 0
            (self.scale, shift) = (scale, 0 - minimum * scale)
        } else {
            // `float32` input: OpenCV computes the scale in `double`, then the kernel works in `float`.
            let range = Double(maximum) - Double(minimum)
            let scale = T(Float(range > Double.ulpOfOne ? 255 * (1 / range) : 0))
            (self.scale, shift) = (scale, 0 - T(Float(Double(minimum) * Double(scale))))
        }
    }

    /// The smallest and largest of `values`, or `nil` when one is NaN or infinite or there are none: one pass
    /// over four independent lanes (the comparisons do not wait on each other, and no value is tested for NaN:
    /// `x − x` is 0 for a finite `x` and NaN otherwise, and a NaN poisons the running sum).
    static func _finiteRange(_ values: UnsafeBufferPointer<T>) -> (minimum: T, maximum: T)? {
        guard T.self == Float.self, _VectorKernels.available, let start = values.baseAddress, !values.isEmpty else {
            return _portableFiniteRange(values)
        }
        var (minimum, maximum) = (Float.infinity, -Float.infinity)
        let floats = UnsafeRawPointer(start).assumingMemoryBound(to: Float.self)
        guard vis_range_f32(floats, values.count, &minimum, &maximum) != 0 else { return nil }
        return (T(minimum), T(maximum))
    }

    /// ``_finiteRange(_:)`` without the vector kernel.
    static func _portableFiniteRange(_ values: UnsafeBufferPointer<T>) -> (minimum: T, maximum: T)? {
        guard let first = values.first else { return nil }
        var (low0, low1, low2, low3) = (first, first, first, first)
        var (high0, high1, high2, high3) = (first, first, first, first)
        var poison: T = 0
        let count = values.count
        var index = 0
        while index + 4 <= count {
            let (a, b, c, d) = (values[index], values[index + 1], values[index + 2], values[index + 3])
            low0 = a < low0 ? a : low0
            low1 = b < low1 ? b : low1
            low2 = c < low2 ? c : low2
            low3 = d < low3 ? d : low3
            high0 = a > high0 ? a : high0
            high1 = b > high1 ? b : high1
            high2 = c > high2 ? c : high2
            high3 = d > high3 ? d : high3
            poison += ((a - a) + (b - b)) + ((c - c) + (d - d))
            index += 4
        }
        while index < count {
            let value = values[index]
            low0 = value < low0 ? value : low0
            high0 = value > high0 ? value : high0
            poison += value - value
            index += 1
        }
        guard poison == 0 else { return nil }
        return (Swift.min(Swift.min(low0, low1), Swift.min(low2, low3)),
                Swift.max(Swift.max(high0, high1), Swift.max(high2, high3)))
    }

    /// `value`'s level: `fma(value, scale, shift)` truncated; NaN and out-of-range values (undefined in NumPy)
    /// become 0/255.
    @inline(__always)
    func level(_ value: T) -> UInt8 {
        let scaled = T._fusedMultiplyAdd(value, scale, shift)
        guard scaled > 0 else { return 0 }
        return scaled >= 255 ? 255 : UInt8(truncatingIfNeeded: scaled._truncatedInt)
    }

    /// The ``level(_:)`` of `values[i]` in `output[i]`, for as many values as `output` holds: the vector kernel
    /// for `Float` when ``_VectorKernels/available``, else ``_portableLevels(_:into:)``.
    func _levels(_ values: UnsafeBufferPointer<T>, into output: UnsafeMutableBufferPointer<UInt8>) {
        guard T.self == Float.self, _VectorKernels.available, let start = values.baseAddress,
            let target = output.baseAddress
        else { return _portableLevels(values, into: output) }
        let floats = UnsafeRawPointer(start).assumingMemoryBound(to: Float.self)
        vis_levels_f32(floats, Float(scale), Float(shift), target, output.count)
    }

    /// The levels of a resized row, `level(fma(upper[i], upperWeight, lower[i]·lowerWeight))` in `output[i]`
    /// (PyTorch's vertical bilinear step, then ``level(_:)``), without storing the row.
    func _levels(
        upper: UnsafeBufferPointer<T>, _ upperWeight: T, lower: UnsafeBufferPointer<T>, _ lowerWeight: T,
        into output: UnsafeMutableBufferPointer<UInt8>
    ) {
        if T.self == Float.self, _VectorKernels.available, let first = upper.baseAddress,
            let second = lower.baseAddress, let target = output.baseAddress
        {
            vis_fma_row_levels_f32(
                UnsafeRawPointer(first).assumingMemoryBound(to: Float.self), Float(upperWeight),
                UnsafeRawPointer(second).assumingMemoryBound(to: Float.self), Float(lowerWeight), Float(scale),
                Float(shift), target, output.count)
            return
        }
        withUnsafeTemporaryAllocation(of: T.self, capacity: output.count) { row in
            T._fusedMultiplyAddRow(upper, upperWeight, lower, lowerWeight, into: row)
            _levels(UnsafeBufferPointer(row), into: output)
        }
    }

    /// ``_levels(_:into:)`` without the vector kernel. For `Float`, in two passes so that the common case runs
    /// without branches: every `fma` evaluated in `Double` and rounded to `Float`, with a flag for the values
    /// ``level(_:)`` would evaluate otherwise (see ``_TorchFloat/_fusedMultiplyAdd(_:_:_:)``), which are then
    /// recomputed by it.
    func _portableLevels(_ values: UnsafeBufferPointer<T>, into output: UnsafeMutableBufferPointer<UInt8>) {
        let count = output.count
        guard T.self == Float.self, let start = values.baseAddress else {
            for index in 0..<count { output[index] = level(values[index]) }
            return
        }
        let floats = UnsafeRawPointer(start).assumingMemoryBound(to: Float.self)
        let (wideScale, wideShift) = (Double(scale), Double(shift))
        var special: UInt64 = 0
        for index in 0..<count {
            let sum = Double(floats[index]) * wideScale + wideShift
            special |= sum.bitPattern & 0x1FFF_FFFF == 0x1000_0000 ? 1 : 0
            special |= abs(sum) >= Double(Float.leastNormalMagnitude) ? 0 : 1
            let scaled = Float(sum)
            let clamped = scaled > 0 ? min(scaled, 255) : 0
            // Truncation without a trapping conversion (which keeps the loop scalar): adding 2^23 rounds to the
            // nearest integer, left in the low bits; one less when that rounded up.
            let nearest = Int32(bitPattern: (clamped + 0x1p23).bitPattern) &- 0x4B00_0000
            output[index] = UInt8(truncatingIfNeeded: nearest &- (Float(nearest) > clamped ? 1 : 0))
        }
        guard special != 0 else { return }
        for index in 0..<count {
            let sum = Double(floats[index]) * wideScale + wideShift
            if sum.bitPattern & 0x1FFF_FFFF == 0x1000_0000 || !(abs(sum) >= Double(Float.leastNormalMagnitude)) {
                output[index] = level(values[index])
            }
        }
    }

    /// Every value's level (all 0 when there is no finite range).
    static func levels(of values: [T]) -> [UInt8] {
        values.withUnsafeBufferPointer { values in
            guard let normalizer = _MinMaxNormalizer(values) else { return [UInt8](repeating: 0, count: values.count) }
            return [UInt8](unsafeUninitializedCapacity: values.count) { output, initialized in
                for index in values.indices { output[index] = normalizer.level(values[index]) }
                initialized = values.count
            }
        }
    }
}
