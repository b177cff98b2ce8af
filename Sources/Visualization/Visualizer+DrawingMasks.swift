import VisCore
import VisDraw

extension Visualizer {
    /// Blends binary masks into the image (MMEngine's `draw_binary_masks`), pixel-exact.
    ///
    /// For each mask in order, every pixel inside it becomes `round((1 − α)·p + α·c)` per channel, computed as
    /// OpenCV's `addWeighted` does for 8-bit images: in single precision as `fma(p, 1 − α, c·α)`, rounded half to
    /// even and saturated. Pixels outside stay unchanged; later masks blend over earlier ones. Everything drawn
    /// before is blended too (MMEngine rasterizes its figure first), and later drawings land on top.
    ///
    /// ```swift
    /// try visualizer.drawBinaryMasks(mask, colors: "b", alphas: 0.5)
    /// ```
    ///
    /// - Parameters:
    ///   - masks: N×H×W or H×W (one mask), matching the image's size, of any element type: non-zero is inside
    ///     (the mask rule of ``InstanceMasks``, MMEngine's cast to `bool`), so `bool`, 0/1 and 0/255 `uint8`
    ///     masks all work. `[[Bool]]` and `[[[Bool]]]` work too.
    ///   - colors: Fill colours; strings are converted as MMEngine's `color_str2rgb` does, **truncating** (`"g"`
    ///     is (0, 127, 0)); `.rgb(color)` gives exact channels.
    ///   - alphas: Blend weights of the colours, 0...1 (default 0.8).
    /// - Returns: The visualizer, for chaining.
    /// - Throws: ``VisualizerError/invalidArgument(argument:expected:actual:)`` naming `masks` for a rank other
    ///   than 2 or 3 or a size other than the image's (reported H×W); `colors`/`alphas` for a bad
    ///   colour, an alpha outside 0...1 or a list shorter than the masks (MMEngine silently draws fewer masks
    ///   when `alphas` is short).
    ///
    /// On an RGBA image the colour channels blend and alpha is kept.
    @discardableResult
    public func drawBinaryMasks(
        _ masks: some NDArrayConvertible, colors: PerItem<MaskColor> = "g", alphas: PerItem<Double> = 0.8
    ) throws -> Visualizer {
        guard isMainProcess else { return self }
        let array = try masks.makeNDArray(argument: "masks")
        guard array.rank == 2 || array.rank == 3 else {
            throw VisualizerError.invalidArgument(
                argument: "masks", expected: "an N×H×W or H×W array", actual: "an array of shape \(array.shape)")
        }
        let bits = InstanceMasks._bits(of: array)
        let count = array.rank == 2 ? 1 : array.shape[0]
        let maskHeight = array.shape[array.rank - 2]
        let maskWidth = array.shape[array.rank - 1]
        let colorValues = try colors.values(count: count, argument: "colors").enumerated().map { index, color in
            try color.resolved(argument: "colors[\(index)]")
        }
        let alphaValues = try alphas.values(count: count, argument: "alphas").enumerated().map { index, alpha in
            try _DrawingArguments.alpha(alpha, argument: "alphas[\(index)]")
        }
        return try _drawing { canvas, context in
            guard maskHeight == context.height, maskWidth == context.width else {
                throw VisualizerError.invalidArgument(
                    argument: "masks",
                    expected: "masks of the image's size \(context.height)×\(context.width) (H×W)",
                    actual: "an array of shape \(array.shape)")
            }
            let planeSize = maskHeight * maskWidth
            for index in 0..<count {
                let table = _MaskBlendTable(color: colorValues[index], alpha: alphaValues[index])
                bits.withUnsafeBufferPointer { all in
                    let plane = UnsafeBufferPointer(rebasing: all[(index * planeSize)..<((index + 1) * planeSize)])
                    canvas.image._blend(mask: plane, table: table)
                }
            }
        }
    }
}

/// `addWeighted(p, 1 − α, c, α, 0)` for every 8-bit `p`, per colour channel: the blend of one mask as lookup
/// tables.
struct _MaskBlendTable {
    let red: [UInt8]
    let green: [UInt8]
    let blue: [UInt8]

    init(color: Color, alpha: Double) {
        red = _MaskBlendTable.channel(color.red, alpha: alpha)
        green = _MaskBlendTable.channel(color.green, alpha: alpha)
        blue = _MaskBlendTable.channel(color.blue, alpha: alpha)
    }

    /// OpenCV's `addWeighted` for `uchar`: the weights as `float`, `p·(1−α)` fused onto `c·α`, rounded to nearest
    /// (ties to even) and saturated. Doing it in `Double` would round some pixels differently (at α = 0.3,
    /// p = 0 and c = 95 give 29, not 28).
    static func channel(_ color: UInt8, alpha: Double) -> [UInt8] {
        let weight = Float(alpha)
        let complement = Float(1 - alpha)
        let colorTerm = Float(color) * weight
        return (0...255).map { pixel in
            let value = colorTerm.addingProduct(Float(pixel), complement).rounded(.toNearestOrEven)
            return UInt8(min(max(value, 0), 255))
        }
    }
}

extension Image {
    /// Blends the colour channels of the pixels where `mask` (row-major, one per pixel) is true.
    mutating func _blend(mask: UnsafeBufferPointer<Bool>, table: _MaskBlendTable) {
        let channels = self.channels
        guard channels >= 3, mask.count == width * height else {
            // Gray images never reach here: the visualizer replicates them to RGB.
            return
        }
        table.red.withUnsafeBufferPointer { red in
            table.green.withUnsafeBufferPointer { green in
                table.blue.withUnsafeBufferPointer { blue in
                    pixels.withUnsafeMutableBufferPointer { samples in
                        func blend(_ index: Int) {
                            let base = index * channels
                            samples[base] = red[Int(samples[base])]
                            samples[base + 1] = green[Int(samples[base + 1])]
                            samples[base + 2] = blue[Int(samples[base + 2])]
                        }
                        // Instance masks are mostly false: test eight flags at once and skip empty words.
                        let raw = UnsafeRawBufferPointer(mask)
                        let words = mask.count / 8
                        for word in 0..<words {
                            guard raw.loadUnaligned(fromByteOffset: word * 8, as: UInt64.self) != 0 else { continue }
                            for index in (word * 8)..<(word * 8 + 8) where mask[index] { blend(index) }
                        }
                        for index in (words * 8)..<mask.count where mask[index] { blend(index) }
                    }
                }
            }
        }
    }
}
