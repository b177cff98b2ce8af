extension NDArray {
    /// Min-max normalises the whole array to `0...255` and truncates to `uint8`, exactly as MMEngine's heatmap
    /// does it (`cv2.normalize(x, None, 0, 255, cv2.NORM_MINMAX)` then `astype(np.uint8)`): 76.5 becomes 76, and
    /// a constant array becomes all 0. The shape is kept.
    ///
    /// OpenCV's arithmetic is reproduced to the bit: `scale = 255·(1/(max−min))` rounded to the element
    /// precision, `shift = −(min·scale)`, and each value is `fma(v, scale, shift)` (OpenCV's SIMD kernel fuses the
    /// multiply-add). `float64` arrays are computed in `Double`; every other dtype in `Float`, like a `float32`
    /// feature map. NaN values are ignored for the range and become 0.
    public func minMaxNormalizedToUInt8() -> NDArray {
        let normalized: [UInt8]
        if case .float64(let values) = storage {
            normalized = _minMaxToUInt8(values) { minimum, maximum in
                let scale = maximum - minimum > Double.ulpOfOne ? 255 * (1 / (maximum - minimum)) : 0
                return (scale, 0 - minimum * scale)
            }
        } else {
            normalized = _minMaxToUInt8(toFloat32()) { minimum, maximum in
                let range = Double(maximum) - Double(minimum)
                let scale = Float(range > Double.ulpOfOne ? 255 * (1 / range) : 0)
                return (scale, 0 - Float(Double(minimum) * Double(scale)))
            }
        }
        return NDArray(_unchecked: .uint8(normalized), shape: shape)
    }
}

/// Applies `value·scale + shift` (fused) and truncates into `0...255`; `coefficients` gets the finite range.
func _minMaxToUInt8<T: BinaryFloatingPoint>(
    _ values: [T], coefficients: (_ minimum: T, _ maximum: T) -> (scale: T, shift: T)
) -> [UInt8] {
    var minimum = T.infinity
    var maximum = -T.infinity
    for value in values where !value.isNaN {
        minimum = min(minimum, value)
        maximum = max(maximum, value)
    }
    guard minimum <= maximum else { return [UInt8](repeating: 0, count: values.count) }
    let (scale, shift) = coefficients(minimum, maximum)
    return values.map { value in
        let scaled = shift.addingProduct(value, scale)
        // NumPy's float → uint8 cast truncates; NaN and out-of-range values are undefined there, 0/255 here.
        guard scaled > 0 else { return 0 }
        return scaled >= 255 ? 255 : UInt8(scaled.rounded(.towardZero))
    }
}
