import CVisKernels
import Foundation
import VisBackends
import VisCore

/// One transform of an MMSelfSup 1.x / mmcv pipeline, built from a config entry `{type: ..., ...}` with the
/// original's names and parameters.
///
/// Unknown types and parameters are `ConfigDecodingError`s naming the entry (`[2].type`,
/// `[1].prob`), as Python raises for an unknown registry name or keyword argument.
public enum SelfSupTransform: Sendable, Equatable {
    /// mmcv `Resize`: to `scale` (width, height), or with `keep_ratio` by the largest factor that fits the long
    /// side within the larger and the short side within the smaller of the two (mmcv's `rescale_size`, sides
    /// rounded as `int(side · factor + 0.5)`); `backend` pillow (``PillowFilter``) or cv2.
    case resize(width: Int, height: Int, keepRatio: Bool, backend: Backend, interpolation: String)
    /// torchvision `RandomResizedCrop` (MMSelfSup's, with `backend`/`interpolation`): an area fraction in
    /// `scale` and a log-uniform aspect ratio in `ratio`, 10 tries, then a centre crop; resized to `size` with
    /// `backend` (MMSelfSup's default cv2, or pillow as most of its configs ask).
    case randomResizedCrop(
        size: Int, scale: ClosedRange<Double>, ratio: ClosedRange<Double>, backend: Backend, interpolation: String)
    /// BEiT's `RandomResizedCropAndInterpolationWithTwoPic`: one random crop (as ``randomResizedCrop(size:scale:ratio:backend:interpolation:)``)
    /// resized twice, to `size` with `interpolation` (the model's input) and to `secondSize` with
    /// `secondInterpolation` (the tokenizer's target). Only ``SelfSupPipeline`` runs it, as it makes two images.
    case randomResizedCropTwoPic(
        size: Int, secondSize: Int, scale: ClosedRange<Double>, ratio: ClosedRange<Double>, interpolation: PillowFilter,
        secondInterpolation: PillowFilter)
    /// `CenterCrop`: a `crop_size` (width, height) window at the centre, offsets rounded half to even.
    case centerCrop(width: Int, height: Int)
    /// `RandomFlip`: flips with probability `prob`, horizontally or vertically.
    case randomFlip(prob: Double, vertical: Bool)
    /// mmcv `RandomGrayscale`: with probability `prob`, the channels weighted by `channelWeights` (normalised to
    /// sum 1, in the channel order `colorFormat` names) and truncated to an integer, kept as three channels when
    /// `keepChannels`; a gray image is left as it is.
    case randomGrayscale(prob: Double, keepChannels: Bool, channelWeights: [Double], colorFormat: ColorFormat)
    /// `RandomSolarize`: inverts samples ≥ `threshold` with probability `prob`.
    case randomSolarize(threshold: Int, prob: Double)
    /// torchvision's `ColorJitter`: brightness, contrast and saturation factors drawn uniformly in
    /// [max(0, 1 − v), 1 + v] and a hue shift in [−hue, hue], applied in a random order with Pillow's
    /// `ImageEnhance` arithmetic and torchvision's HSV hue shift.
    case colorJitter(brightness: Double, contrast: Double, saturation: Double, hue: Double)
    /// `RandomGaussianBlur`: with probability `prob`, Pillow's Gaussian blur with a sigma uniform in `sigma`.
    case randomGaussianBlur(sigma: ClosedRange<Double>, prob: Double)
    /// `RandomApply`: the `transforms` in order with probability `prob`, else nothing.
    indirect case randomApply(transforms: [SelfSupTransform], prob: Double)
    /// `MultiView`: `counts[i]` views through `pipelines[i]` (one pipeline repeated `num_views` times, or one per
    /// entry as in BYOL's asymmetric views). Only ``SelfSupPipeline`` runs it, as it turns one image into several.
    indirect case multiView(counts: [Int], pipelines: [[SelfSupTransform]])
    /// `SimMIMMaskGenerator`: sets the sample's mask (``SelfSupSample/mask``); the views are unchanged.
    case simMIMMask(SimMIMMaskGenerator)
    /// `BEiTMaskGenerator`: sets the sample's block-wise mask; the views are unchanged.
    case beitMask(BEiTMaskGenerator)
    /// `MAEMaskGenerator`: MAE's random patch mask on the first view's patch grid; the views are unchanged.
    case maeMask(MAEMaskGenerator)
    /// `LoadImageFromFile` (which, as mmcv's colour loading, makes the image three-channel) and
    /// `PackSelfSupInputs` (nothing to do on a loaded image).
    case passThrough(String)

    /// The resize backend of mmcv's `Resize`.
    public enum Backend: String, Sendable, Equatable {
        /// Pillow's `Image.resize`.
        case pillow
        /// OpenCV's `cv2.resize`.
        case cv2
    }

    /// The channel order an mmcv transform assumes: MMSelfSup loads images as BGR, so weights written in its
    /// configs (`channel_weights=(0.114, 0.587, 0.2989)`) are for blue, green, red.
    public enum ColorFormat: String, Sendable, Equatable {
        /// Blue, green, red (mmcv's default).
        case bgr
        /// Red, green, blue.
        case rgb
    }

    /// The transform types this build knows, as configs name them.
    public static let typeNames = [
        "Resize", "RandomResizedCrop", "RandomResizedCropAndInterpolationWithTwoPic", "CenterCrop", "RandomFlip",
        "RandomGrayscale", "RandomSolarize", "ColorJitter", "RandomGaussianBlur", "RandomApply", "MultiView",
        "SimMIMMaskGenerator", "BEiTMaskGenerator", "MAEMaskGenerator", "LoadImageFromFile", "PackSelfSupInputs",
    ]

    /// Applies a one-image transform, drawing its random choices from `generator`.
    ///
    /// - Throws: `VisCoreError` when the image is too small for a crop or a size is invalid, or for the
    ///   transforms only ``SelfSupPipeline`` runs: ``multiView(counts:pipelines:)`` and
    ///   ``randomResizedCropTwoPic(size:secondSize:scale:ratio:interpolation:secondInterpolation:)``, which make
    ///   several images, and the mask generators, which add a mask to the sample.
    public func apply(_ image: Image, using generator: inout SplitMix64) throws -> Image {
        switch self {
        case let .resize(width, height, keepRatio, backend, interpolation):
            let size: (width: Int, height: Int) = keepRatio
                ? Self.rescaledSize(width: image.width, height: image.height, scale: (width, height)) : (width, height)
            return try Self.resized(image, width: size.width, height: size.height, backend: backend, interpolation: interpolation)
        case let .randomResizedCrop(size, scale, ratio, backend, interpolation):
            let box = Self.randomResizedCropBox(width: image.width, height: image.height, scale: scale, ratio: ratio, using: &generator)
            if backend == .pillow {
                return try image.pillowResized(
                    x: box.x, y: box.y, regionWidth: box.width, regionHeight: box.height, width: size, height: size,
                    filter: PillowFilter(name: interpolation) ?? .bilinear)
            }
            let crop = try image.cropped(x: box.x, y: box.y, width: box.width, height: box.height)
            return try Self.resized(crop, width: size, height: size, backend: backend, interpolation: interpolation)
        case let .centerCrop(width, height):
            guard width <= image.width, height <= image.height else {
                throw VisCoreError.invalidArgument(
                    argument: "crop_size", expected: "at most the image's \(image.width)×\(image.height)",
                    actual: "\(width)×\(height)")
            }
            let x = Int((Double(image.width - width) / 2).rounded(.toNearestOrEven))
            let y = Int((Double(image.height - height) / 2).rounded(.toNearestOrEven))
            return try image.cropped(x: x, y: y, width: width, height: height)
        case let .randomFlip(prob, vertical):
            guard Double.random(in: 0..<1, using: &generator) < prob else { return image }
            return image.flipped(horizontally: !vertical)
        case let .randomGrayscale(prob, keepChannels, weights, colorFormat):
            guard Double.random(in: 0..<1, using: &generator) < prob else { return image }
            return try Self.grayscale(image, weights: weights, colorFormat: colorFormat, keepChannels: keepChannels)
        case let .randomSolarize(threshold, prob):
            guard Double.random(in: 0..<1, using: &generator) < prob else { return image }
            return try PillowEnhance.solarize(image, threshold: threshold)
        case .colorJitter, .randomGaussianBlur, .randomApply:
            var result = image
            try _apply(&result, using: &generator)
            return result
        case .multiView, .randomResizedCropTwoPic, .simMIMMask, .beitMask, .maeMask:
            throw VisCoreError.invalidArgument(
                argument: "transform", expected: "a one-image transform (run \(typeName) through SelfSupPipeline)",
                actual: typeName)
        case .passThrough("LoadImageFromFile"):
            return image.layout == .rgb ? image : image.converted(to: .rgb)
        case .passThrough:
            return image
        }
    }

    /// ``apply(_:using:)`` in place: the colour jitter and the blur change the pixels where they are (copying them
    /// only when the image's storage is shared); other transforms replace the image.
    func _apply(_ image: inout Image, using generator: inout SplitMix64) throws {
        switch self {
        case let .colorJitter(brightness, contrast, saturation, hue):
            var factors = [brightness, contrast, saturation].map { value -> Double? in
                value > 0 ? Double.random(in: Swift.max(0, 1 - value)...(1 + value), using: &generator) : nil
            }
            factors.append(hue > 0 ? Double.random(in: -hue...hue, using: &generator) : nil)
            for step in [0, 1, 2, 3].shuffled(using: &generator) {
                guard let factor = factors[step] else { continue }
                switch step {
                case 0: PillowEnhance._brightness(&image, factor: factor)
                case 1: PillowEnhance._contrast(&image, factor: factor)
                case 2: PillowEnhance._saturation(&image, factor: factor)
                default: try PillowEnhance._hue(&image, factor: factor)
                }
            }
        case let .randomGaussianBlur(sigma, prob):
            guard Double.random(in: 0..<1, using: &generator) < prob else { return }
            try PillowEnhance._gaussianBlur(&image, sigma: Double.random(in: sigma, using: &generator))
        case let .randomApply(transforms, prob):
            guard Double.random(in: 0..<1, using: &generator) < prob else { return }
            for transform in transforms { try transform._apply(&image, using: &generator) }
        default:
            image = try apply(image, using: &generator)
        }
    }

    /// The config type name of the transform (`RandomFlip`).
    public var typeName: String {
        switch self {
        case .resize: return "Resize"
        case .randomResizedCrop: return "RandomResizedCrop"
        case .randomResizedCropTwoPic: return "RandomResizedCropAndInterpolationWithTwoPic"
        case .centerCrop: return "CenterCrop"
        case .randomFlip: return "RandomFlip"
        case .randomGrayscale: return "RandomGrayscale"
        case .randomSolarize: return "RandomSolarize"
        case .colorJitter: return "ColorJitter"
        case .randomGaussianBlur: return "RandomGaussianBlur"
        case .randomApply: return "RandomApply"
        case .multiView: return "MultiView"
        case .simMIMMask: return "SimMIMMaskGenerator"
        case .beitMask: return "BEiTMaskGenerator"
        case .maeMask: return "MAEMaskGenerator"
        case let .passThrough(name): return name
        }
    }

    /// mmcv's `imresize` with `backend`: OpenCV's or Pillow's filter `interpolation`.
    static func resized(_ image: Image, width: Int, height: Int, backend: Backend, interpolation: String) throws -> Image {
        if backend == .cv2 {
            return try image.resized(
                width: width, height: height, interpolation: ResizeInterpolation(rawValue: interpolation) ?? .bilinear)
        }
        return try image.pillowResized(width: width, height: height, filter: PillowFilter(name: interpolation) ?? .bilinear)
    }

    /// mmcv's `rescale_size` for a (width, height) `scale`: the factor
    /// `min(max(scale) / max(w, h), min(scale) / min(w, h))`, sides `int(side · factor + 0.5)`.
    public static func rescaledSize(width: Int, height: Int, scale: (Int, Int)) -> (width: Int, height: Int) {
        let long = Double(Swift.max(scale.0, scale.1))
        let short = Double(Swift.min(scale.0, scale.1))
        let factor = Swift.min(long / Double(Swift.max(width, height)), short / Double(Swift.min(width, height)))
        return (Int(Double(width) * factor + 0.5), Int(Double(height) * factor + 0.5))
    }

    /// mmcv's grayscale: `sum(w_i / sum(w) · c_i)` over the channels in `colorFormat`'s order, in double,
    /// truncated to 8 bits; a gray image is returned as it is.
    static func grayscale(
        _ image: Image, weights: [Double], colorFormat: ColorFormat, keepChannels: Bool,
        path: Int32 = Int32(VIS_RESIZE_BEST)
    ) throws -> Image {
        guard image.layout != .gray else { return image }
        guard image.layout == .rgb else {
            throw VisCoreError.invalidArgument(
                argument: "image", expected: "a gray or RGB image for RandomGrayscale (load it with LoadImageFromFile)",
                actual: "\(image.layout)")
        }
        let total = weights.reduce(0, +)
        let normalized = weights.map { $0 / total }
        guard normalized.count == 3 else {
            throw VisCoreError.invalidArgument(argument: "channel_weights", expected: "three weights", actual: "\(weights)")
        }
        let count = image.width * image.height
        let outputChannels = keepChannels ? 3 : 1
        let pixels = [UInt8](unsafeUninitializedCapacity: count * outputChannels) { output, initialized in
            image.pixels.withUnsafeBufferPointer { input in
                vis_mmcv_grayscale_u8(
                    input.baseAddress, output.baseAddress, count, normalized[0], normalized[1], normalized[2],
                    colorFormat == .bgr ? 1 : 0, outputChannels, path)
            }
            initialized = count * outputChannels
        }
        return try Image(width: image.width, height: image.height, layout: keepChannels ? .rgb : .gray, pixels: pixels)
    }

    /// torchvision's `RandomResizedCrop.get_params`: up to 10 draws of an area fraction in `scale` and a
    /// log-uniform aspect ratio in `ratio` (sides rounded half to even), accepted when the crop fits; otherwise the
    /// centre crop with the ratio clamped to `ratio`.
    public static func randomResizedCropBox(
        width: Int, height: Int, scale: ClosedRange<Double>, ratio: ClosedRange<Double>,
        using generator: inout SplitMix64
    ) -> (x: Int, y: Int, width: Int, height: Int) {
        let area = Double(width * height)
        let logRatio = log(ratio.lowerBound)...log(ratio.upperBound)
        for _ in 0..<10 {
            let target = area * Double.random(in: scale, using: &generator)
            let aspect = exp(Double.random(in: logRatio, using: &generator))
            let w = Int((target * aspect).squareRoot().rounded(.toNearestOrEven))
            let h = Int((target / aspect).squareRoot().rounded(.toNearestOrEven))
            if w > 0 && w <= width && h > 0 && h <= height {
                let y = Int.random(in: 0...(height - h), using: &generator)
                let x = Int.random(in: 0...(width - w), using: &generator)
                return (x, y, w, h)
            }
        }
        let inputRatio = Double(width) / Double(height)
        var (w, h) = (width, height)
        if inputRatio < ratio.lowerBound {
            h = Int((Double(w) / ratio.lowerBound).rounded(.toNearestOrEven))
        } else if inputRatio > ratio.upperBound {
            w = Int((Double(h) * ratio.upperBound).rounded(.toNearestOrEven))
        }
        return ((width - w) / 2, (height - h) / 2, w, h)
    }
}
