extension NDArray {
    /// Resizes the last two axes (H×W of a plane, C×H×W of a feature map, …) with bilinear interpolation exactly
    /// as PyTorch's `F.interpolate(x, size=(height, width), mode='bilinear', align_corners=False)` does it, which
    /// is what MMEngine's `draw_featmap` uses.
    ///
    /// Half-pixel centres: output index `o` samples source coordinate `max(scale·(o+0.5)−0.5, 0)` with
    /// `scale = in/out`; the upper neighbour is clamped at the last row/column; no antialiasing when shrinking.
    /// `float64` arrays are computed and returned in `float64`; every other dtype is converted to `float32` and
    /// computed in `float32` (PyTorch's arithmetic for float tensors, in the same order).
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
        let planes = shape.dropLast(2).reduce(1, *)
        let storage: Storage
        if case .float64(let values) = self.storage {
            storage = .float64(
                _bilinearPlanes(values, planes: planes, inHeight: inHeight, inWidth: inWidth, height: height, width: width))
        } else {
            storage = .float32(
                _bilinearPlanes(toFloat32(), planes: planes, inHeight: inHeight, inWidth: inWidth, height: height, width: width))
        }
        return NDArray(_unchecked: storage, shape: outputShape)
    }
}

/// One axis of PyTorch's linear interpolation: per output index, the two source indices and their weights.
struct _LinearTaps<T: BinaryFloatingPoint> {
    var lower: [Int]
    var upper: [Int]
    var lowerWeight: [T]
    var upperWeight: [T]

    init(input: Int, output: Int) {
        // `area_pixel_compute_scale` and `area_pixel_compute_source_index` (align_corners=False), in T.
        let scale = T(input) / T(output)
        lower = []
        upper = []
        lowerWeight = []
        upperWeight = []
        for index in 0..<output {
            let source = max(scale * (T(index) + T(0.5)) - T(0.5), 0)
            let low = min(Int(source), input - 1)
            let lambda = min(max(source - T(low), 0), 1)
            lower.append(low)
            upper.append(low + (low < input - 1 ? 1 : 0))
            upperWeight.append(lambda)
            lowerWeight.append(1 - lambda)
        }
    }
}

/// Bilinear resize of `planes` consecutive H×W planes: `(x00·w0 + x01·w1)·h0 + (x10·w0 + x11·w1)·h1`.
func _bilinearPlanes<T: BinaryFloatingPoint>(
    _ source: [T], planes: Int, inHeight: Int, inWidth: Int, height: Int, width: Int
) -> [T] {
    let rows = _LinearTaps<T>(input: inHeight, output: height)
    let columns = _LinearTaps<T>(input: inWidth, output: width)
    let inPlane = inHeight * inWidth
    let outPlane = height * width
    return [T](unsafeUninitializedCapacity: planes * outPlane) { output, initialized in
        source.withUnsafeBufferPointer { input in
            for plane in 0..<planes {
                let inBase = plane * inPlane
                let outBase = plane * outPlane
                for y in 0..<height {
                    let top = inBase + rows.lower[y] * inWidth
                    let bottom = inBase + rows.upper[y] * inWidth
                    let h0 = rows.lowerWeight[y]
                    let h1 = rows.upperWeight[y]
                    for x in 0..<width {
                        let left = columns.lower[x]
                        let right = columns.upper[x]
                        let w0 = columns.lowerWeight[x]
                        let w1 = columns.upperWeight[x]
                        let upperRow = input[top + left] * w0 + input[top + right] * w1
                        let lowerRow = input[bottom + left] * w0 + input[bottom + right] * w1
                        output[outBase + y * width + x] = upperRow * h0 + lowerRow * h1
                    }
                }
            }
        }
        initialized = planes * outPlane
    }
}
