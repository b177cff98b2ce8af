extension NDArray {
    /// Resizes the last two axes (H×W of a plane, C×H×W of a feature map, N×C×H×W, …) with bilinear
    /// interpolation exactly as PyTorch's `F.interpolate(x, size=(height, width), mode='bilinear',
    /// align_corners=False)` does it on x86-64 CPUs, to the bit — which is what MMEngine's `draw_featmap` uses.
    ///
    /// Half-pixel centres: output index `o` samples source coordinate `max(scale·(o+0.5)−0.5, 0)` with
    /// `scale = in/out`; the upper neighbour is clamped at the last row/column; no antialiasing when shrinking.
    /// `float64` arrays are computed and returned in `float64`; every other dtype is converted to `float32` and
    /// computed in `float32`, with PyTorch's operation order and fused multiply-adds. PyTorch picks one of two
    /// kernels by the output size, and the rounding follows the one it picks.
    /// The axis before H×W is the channel axis PyTorch's small-output kernel depends on (1 for a plane).
    ///
    /// ```swift
    /// let map = try NDArray([[0, 1], [2, 3]] as [[Float]])
    /// try map.resizedBilinear(height: 4, width: 4)   // rows [0, .25, .75, 1], [.5, .75, 1.25, 1.5], ...
    /// ```
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `height`/`width` when not
    ///   positive, or `array` when the rank is below 2 or the source plane is empty.
    public func resizedBilinear(height: Int, width: Int) throws -> NDArray {
        guard rank >= 2 else {
            throw VisCoreError.invalidArgument(
                argument: "array", expected: "at least 2 axes (…×H×W)", actual: "shape \(shape)")
        }
        let inHeight = shape[rank - 2]
        let inWidth = shape[rank - 1]
        guard inHeight > 0, inWidth > 0 else {
            throw VisCoreError.invalidArgument(
                argument: "array", expected: "a non-empty H×W plane", actual: "shape \(shape)")
        }
        guard height > 0 else {
            throw VisCoreError.invalidArgument(argument: "height", expected: "a positive integer", actual: "\(height)")
        }
        guard width > 0 else {
            throw VisCoreError.invalidArgument(argument: "width", expected: "a positive integer", actual: "\(width)")
        }
        var outputShape = shape
        outputShape[rank - 2] = height
        outputShape[rank - 1] = width
        _ = try NDArray._elementCount(of: outputShape, argument: "height×width")
        let channels = rank >= 3 ? shape[rank - 3] : 1
        let storage: Storage
        if case .float64(let values) = self.storage {
            storage = .float64(_TorchBilinear<Double>.resize(
                values, channels: channels, height: inHeight, width: inWidth, outHeight: height, outWidth: width))
        } else {
            storage = .float32(_TorchBilinear<Float>.resize(
                toFloat32(), channels: channels, height: inHeight, width: inWidth, outHeight: height, outWidth: width))
        }
        return NDArray(_unchecked: storage, shape: outputShape)
    }
}
