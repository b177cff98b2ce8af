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
            normalized = _MinMaxNormalizer<Double>.levels(of: values)
        } else {
            normalized = _MinMaxNormalizer<Float>.levels(of: toFloat32())
        }
        return NDArray(_unchecked: .uint8(normalized), shape: shape)
    }
}
