import Foundation
import VisCore
import VisPlot

/// The four panels of MMSelfSup's `visualize_reconstruction.py` — original, masked, reconstruction, and
/// reconstruction with the visible patches pasted back — from a model's outputs saved as arrays.
///
/// Pixels follow MMSelfSup's `post_process`: everything is combined in the normalised space (ImageNet mean and
/// std on the 0–255 scale, RGB), then shown as `clip((x·std + mean)·255, 0, 255)` truncated to an integer, with
/// mean and std on the 0–1 scale, in single precision like the PyTorch original.
public struct ReconstructionPanels: Sendable, Equatable {
    /// The input image as the model saw it.
    public var original: Image
    /// The input with the removed patches set to zero in the normalised space (the mean colour).
    public var masked: Image
    /// The prediction everywhere.
    public var reconstruction: Image
    /// The visible patches of the input and the prediction in the removed ones.
    public var reconstructionVisible: Image

    /// Panels already made (for example loaded from `--save-panels` files), to lay out with ``figure()``.
    public init(original: Image, masked: Image, reconstruction: Image, reconstructionVisible: Image) {
        self.original = original
        self.masked = masked
        self.reconstruction = reconstruction
        self.reconstructionVisible = reconstructionVisible
    }

    /// The panels in figure order with their titles and `--save-panels` file names.
    public var named: [(title: String, fileName: String, image: Image)] {
        [
            ("original", "original.png", original), ("masked", "masked.png", masked),
            ("reconstruction", "reconstruction.png", reconstruction),
            ("reconstruction + visible", "reconstruction_visible.png", reconstructionVisible),
        ]
    }

    /// ImageNet's channel means on the 0–255 scale (MMSelfSup's data preprocessor).
    public static let imageNetMean: [Float] = [123.675, 116.28, 103.53]
    /// ImageNet's channel standard deviations on the 0–255 scale.
    public static let imageNetStd: [Float] = [58.395, 57.12, 57.375]
    /// The display means on the 0–1 scale (`post_process`'s constants).
    static let displayMean: [Float] = [0.485, 0.456, 0.406]
    /// The display standard deviations on the 0–1 scale.
    static let displayStd: [Float] = [0.229, 0.224, 0.225]

    /// The image normalised like MMSelfSup's data preprocessor: planes 3×H×W of `(pixel − mean) / std`.
    public static func normalized(_ image: Image) -> [Float] {
        let rgb = image.layout == .rgb ? image : image.converted(to: .rgb)
        let count = rgb.width * rgb.height
        var planes = [Float](repeating: 0, count: 3 * count)
        for index in 0..<count {
            for channel in 0..<3 {
                planes[channel * count + index] =
                    (Float(rgb.pixels[index * 3 + channel]) - imageNetMean[channel]) / imageNetStd[channel]
            }
        }
        return planes
    }

    /// Makes the panels.
    ///
    /// - Parameters:
    ///   - image: The input at model resolution (already resized), square, a multiple of `patchSize`.
    ///   - prediction: MAE patches L×(p²·3), laid out (row in patch, column in patch, channel) as MAE's
    ///     `patchify`, or an image 3×H×W or H×W×3 (SimMIM, MaskFeat), in the normalised space; a leading batch
    ///     dimension of 1 is dropped.
    ///   - mask: L values or an h×w grid (1 = removed), upsampled to the image by nearest neighbour; a leading
    ///     batch dimension of 1 is dropped.
    ///   - patchSize: MAE's patch size `p`.
    ///   - normPix: De-normalise each predicted patch with the mean and `sqrt(unbiased var + 1e-6)` of the same
    ///     patch of the normalised input (MAE's `norm_pix_loss`).
    /// - Throws: ``ReconstructionError`` naming the prediction, the mask or the argument that does not fit.
    public static func make(
        image: Image, prediction: NDArray, mask: NDArray, patchSize: Int, normPix: Bool = false
    ) throws -> ReconstructionPanels {
        let size = image.width
        guard patchSize > 0 else {
            throw ReconstructionError.invalidArgument(
                argument: "patch size", expected: "a positive integer", actual: "\(patchSize)")
        }
        guard image.height == size, size > 0, size % patchSize == 0 else {
            throw ReconstructionError.invalidArgument(
                argument: "image", expected: "a square image whose side is a multiple of the patch size \(patchSize)",
                actual: "\(image.width)×\(image.height)")
        }
        let input = normalized(image)
        let grid = size / patchSize
        let predicted = try _predictionPlanes(prediction, size: size, patchSize: patchSize)
        var reconstruction = predicted.planes
        if normPix {
            guard predicted.isPatches else {
                throw ReconstructionError.predictionShape(
                    shape: prediction.shape,
                    expected: "MAE patches (\(grid * grid), \(patchSize * patchSize * 3)) with norm-pix")
            }
            _denormalizePatches(&reconstruction, input: input, size: size, patchSize: patchSize)
        }
        let maskPlane = try _maskPlane(mask, size: size, patchSize: patchSize)
        let count = size * size
        var masked = [Float](repeating: 0, count: 3 * count)
        var pasted = [Float](repeating: 0, count: 3 * count)
        for channel in 0..<3 {
            for index in 0..<count {
                let keep = 1 - maskPlane[index]
                let visible = input[channel * count + index] * keep
                masked[channel * count + index] = visible
                pasted[channel * count + index] = visible + reconstruction[channel * count + index] * maskPlane[index]
            }
        }
        return ReconstructionPanels(
            original: try _display(input, size: size), masked: try _display(masked, size: size),
            reconstruction: try _display(reconstruction, size: size), reconstructionVisible: try _display(pasted, size: size))
    }

    /// MAE's random masking of `count` patches: a uniform noise per patch, the lowest `Int(count·(1 − ratio))`
    /// kept (0) and the rest removed (1), so that exactly that many patches are kept.
    ///
    /// - Throws: ``ReconstructionError/invalidArgument(argument:expected:actual:)`` for a ratio outside [0, 1).
    public static func randomMask(patches count: Int, ratio: Double, seed: UInt64) throws -> [Float] {
        guard ratio.isFinite, ratio >= 0, ratio < 1 else {
            throw ReconstructionError.invalidArgument(argument: "mask ratio", expected: "a number in [0, 1)", actual: "\(ratio)")
        }
        let masking = try MAEMaskGenerator(maskRatio: ratio)
        var generator = SplitMix64(seed: seed)
        return masking.generate(patches: count, using: &generator)
    }

    /// The figure of MMSelfSup's script: 24×6 inches at 100 dpi, the panels in `subplot(1, 4, i)` with titles of
    /// 16 points and no axes.
    public func figure() throws -> Figure {
        let figure = try Figure(size: (24, 6), dpi: 100)
        let row = try figure.subplots(rows: 1, cols: 4)
        for (axes, panel) in zip(row[0], named) {
            try axes.imshow(panel.image)
            axes.setTitle(panel.title, fontSize: 16)
            axes.axisOff()
        }
        return figure
    }

    /// The prediction as 3×H×W planes.
    private static func _predictionPlanes(
        _ prediction: NDArray, size: Int, patchSize: Int
    ) throws -> (planes: [Float], isPatches: Bool) {
        var shape = prediction.shape
        if shape.count == 4 && shape[0] == 1 { shape.removeFirst() }
        if shape.count == 3 && shape[0] == 1 && shape[2] == patchSize * patchSize * 3 { shape.removeFirst() }
        let values = prediction.toFloat32()
        let grid = size / patchSize
        let count = size * size
        var planes = [Float](repeating: 0, count: 3 * count)
        let vector = patchSize * patchSize * 3
        if shape == [grid * grid, vector] {
            for patch in 0..<(grid * grid) {
                let top = (patch / grid) * patchSize
                let left = (patch % grid) * patchSize
                for row in 0..<patchSize {
                    for column in 0..<patchSize {
                        for channel in 0..<3 {
                            planes[channel * count + (top + row) * size + left + column] =
                                values[patch * vector + (row * patchSize + column) * 3 + channel]
                        }
                    }
                }
            }
            return (planes, true)
        }
        if shape == [3, size, size] { return (values, false) }
        if shape == [size, size, 3] {
            for index in 0..<count {
                for channel in 0..<3 { planes[channel * count + index] = values[index * 3 + channel] }
            }
            return (planes, false)
        }
        throw ReconstructionError.predictionShape(
            shape: prediction.shape,
            expected: "MAE patches (\(grid * grid), \(vector)) for patch size \(patchSize), or an image (3, \(size), "
                + "\(size)) or (\(size), \(size), 3) for input size \(size)")
    }

    /// MAE's `norm_pix_loss` undone: each patch scaled by `sqrt(var + 1e-6)` and shifted by the mean of the same
    /// patch of the normalised input (unbiased variance over its p²·3 values), in double precision.
    private static func _denormalizePatches(_ planes: inout [Float], input: [Float], size: Int, patchSize: Int) {
        let grid = size / patchSize
        let count = size * size
        let n = Double(patchSize * patchSize * 3)
        for patch in 0..<(grid * grid) {
            let top = (patch / grid) * patchSize
            let left = (patch % grid) * patchSize
            var indices: [Int] = []
            indices.reserveCapacity(Int(n))
            for row in 0..<patchSize {
                for column in 0..<patchSize {
                    for channel in 0..<3 { indices.append(channel * count + (top + row) * size + left + column) }
                }
            }
            let mean = indices.reduce(0.0) { $0 + Double(input[$1]) } / n
            let variance = indices.reduce(0.0) { $0 + (Double(input[$1]) - mean) * (Double(input[$1]) - mean) } / (n - 1)
            let scale = (variance + 1e-6).squareRoot()
            for index in indices { planes[index] = Float(Double(planes[index]) * scale + mean) }
        }
    }

    /// The mask as one H×W plane of 0/1 values.
    private static func _maskPlane(_ mask: NDArray, size: Int, patchSize: Int) throws -> [Float] {
        var shape = mask.shape
        let grid = size / patchSize
        // A leading batch dimension of 1: (1, h, w), or (1, L) for L patch values.
        if (shape.count == 3 && shape[0] == 1) || (shape.count == 2 && shape[0] == 1 && shape[1] == grid * grid) {
            shape.removeFirst()
        }
        let values = mask.toFloat32()
        let rows: Int
        let columns: Int
        if shape.count == 1 {
            guard shape[0] == grid * grid else {
                throw ReconstructionError.maskShape(
                    shape: mask.shape,
                    expected: "\(grid * grid) patch values (a \(grid)×\(grid) grid for patch size \(patchSize)) or an "
                        + "h×w grid dividing \(size)×\(size)")
            }
            (rows, columns) = (grid, grid)
        } else if shape.count == 2, shape[0] > 0, shape[1] > 0, size % shape[0] == 0, size % shape[1] == 0 {
            (rows, columns) = (shape[0], shape[1])
        } else {
            throw ReconstructionError.maskShape(
                shape: mask.shape,
                expected: "\(grid * grid) patch values or an h×w grid whose sides divide the input size \(size)")
        }
        guard values.allSatisfy({ $0 == 0 || $0 == 1 }) else {
            throw ReconstructionError.maskShape(shape: mask.shape, expected: "values 0 (visible) and 1 (removed) only")
        }
        let cellHeight = size / rows
        let cellWidth = size / columns
        var plane = [Float](repeating: 0, count: size * size)
        for y in 0..<size {
            for x in 0..<size { plane[y * size + x] = values[(y / cellHeight) * columns + x / cellWidth] }
        }
        return plane
    }

    /// `clip((x·std + mean)·255, 0, 255)` truncated, per channel, as an RGB image.
    private static func _display(_ planes: [Float], size: Int) throws -> Image {
        let count = size * size
        var pixels = [UInt8](repeating: 0, count: 3 * count)
        for channel in 0..<3 {
            let std = displayStd[channel]
            let mean = displayMean[channel]
            for index in 0..<count {
                let value = (planes[channel * count + index] * std + mean) * 255
                // NaN predictions show as 0, like the integer cast of a clipped NaN in PyTorch on x86.
                let clipped = value.isNaN ? 0 : Swift.min(Swift.max(value, 0), 255)
                pixels[index * 3 + channel] = UInt8(clipped)
            }
        }
        return try Image(width: size, height: size, layout: .rgb, pixels: pixels)
    }
}
