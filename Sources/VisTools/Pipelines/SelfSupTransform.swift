import Foundation
import VisBackends
import VisCore

/// One transform of an MMSelfSup 1.x / mmcv pipeline, built from a config entry `{type: ..., ...}` with the
/// original's names and parameters.
///
/// Unknown types and parameters are `ConfigDecodingError`s naming the entry (`[2].type`,
/// `[1].prob`), as Python raises for an unknown registry name or keyword argument.
public enum SelfSupTransform: Sendable, Equatable {
    /// mmcv `Resize`: to `scale` (width, height) with `backend` pillow (``PillowFilter``) or cv2.
    case resize(width: Int, height: Int, backend: Backend, interpolation: String)
    /// torchvision `RandomResizedCrop` (MMSelfSup's, with `backend`/`interpolation`): an area fraction in
    /// `scale` and a log-uniform aspect ratio in `ratio`, 10 tries, then a centre crop; resized to `size`.
    case randomResizedCrop(size: Int, scale: ClosedRange<Double>, ratio: ClosedRange<Double>, interpolation: PillowFilter)
    /// `CenterCrop`: a `crop_size` (width, height) window at the centre, offsets rounded half to even.
    case centerCrop(width: Int, height: Int)
    /// `RandomFlip`: flips with probability `prob`, horizontally or vertically.
    case randomFlip(prob: Double, vertical: Bool)
    /// `RandomGrayscale`: Pillow's luma with probability `prob`, kept as three channels when `keep_channels`.
    case randomGrayscale(prob: Double, keepChannels: Bool)
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
    /// `LoadImageFromFile`, `PackSelfSupInputs`: steps of the Python pipeline with nothing to do on a loaded image.
    case passThrough(String)

    /// The resize backend of mmcv's `Resize`.
    public enum Backend: String, Sendable, Equatable {
        /// Pillow's `Image.resize`.
        case pillow
        /// OpenCV's `cv2.resize`.
        case cv2
    }

    /// The transform types this build knows, as configs name them.
    public static let typeNames = [
        "Resize", "RandomResizedCrop", "CenterCrop", "RandomFlip", "RandomGrayscale", "RandomSolarize", "ColorJitter",
        "RandomGaussianBlur", "RandomApply", "MultiView", "LoadImageFromFile", "PackSelfSupInputs",
    ]

    /// Applies the transform, drawing its random choices from `generator`.
    ///
    /// - Throws: `VisCoreError` when the image is too small for a crop or a size is invalid, or for
    ///   ``multiView(counts:pipelines:)``, which makes several images (run it through ``SelfSupPipeline``).
    public func apply(_ image: Image, using generator: inout SplitMix64) throws -> Image {
        switch self {
        case let .resize(width, height, backend, interpolation):
            if backend == .cv2 {
                return try image.resized(
                    width: width, height: height, interpolation: ResizeInterpolation(rawValue: interpolation) ?? .bilinear)
            }
            return try image.pillowResized(width: width, height: height, filter: PillowFilter(name: interpolation) ?? .bilinear)
        case let .randomResizedCrop(size, scale, ratio, interpolation):
            let box = Self.randomResizedCropBox(width: image.width, height: image.height, scale: scale, ratio: ratio, using: &generator)
            return try image.cropped(x: box.x, y: box.y, width: box.width, height: box.height)
                .pillowResized(width: size, height: size, filter: interpolation)
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
            return try Self.flipped(image, vertical: vertical)
        case let .randomGrayscale(prob, keepChannels):
            guard Double.random(in: 0..<1, using: &generator) < prob else { return image }
            let gray = image.converted(to: .gray)
            return keepChannels ? gray.converted(to: image.layout == .gray ? .rgb : image.layout) : gray
        case let .randomSolarize(threshold, prob):
            guard Double.random(in: 0..<1, using: &generator) < prob else { return image }
            return try PillowEnhance.solarize(image, threshold: threshold)
        case let .colorJitter(brightness, contrast, saturation, hue):
            var factors = [brightness, contrast, saturation].map { value -> Double? in
                value > 0 ? Double.random(in: Swift.max(0, 1 - value)...(1 + value), using: &generator) : nil
            }
            factors.append(hue > 0 ? Double.random(in: -hue...hue, using: &generator) : nil)
            var result = image
            for step in [0, 1, 2, 3].shuffled(using: &generator) {
                guard let factor = factors[step] else { continue }
                switch step {
                case 0: result = try PillowEnhance.brightness(result, factor: factor)
                case 1: result = try PillowEnhance.contrast(result, factor: factor)
                case 2: result = try PillowEnhance.saturation(result, factor: factor)
                default: result = try PillowEnhance.hue(result, factor: factor)
                }
            }
            return result
        case let .randomGaussianBlur(sigma, prob):
            guard Double.random(in: 0..<1, using: &generator) < prob else { return image }
            return try PillowEnhance.gaussianBlur(image, sigma: Double.random(in: sigma, using: &generator))
        case let .randomApply(transforms, prob):
            guard Double.random(in: 0..<1, using: &generator) < prob else { return image }
            var result = image
            for transform in transforms { result = try transform.apply(result, using: &generator) }
            return result
        case .multiView:
            throw VisCoreError.invalidArgument(
                argument: "transform", expected: "a one-image transform (run MultiView through SelfSupPipeline)",
                actual: "MultiView")
        case .passThrough:
            return image
        }
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

    static func flipped(_ image: Image, vertical: Bool) throws -> Image {
        let channels = image.channels
        var pixels = image.pixels
        for y in 0..<image.height {
            for x in 0..<image.width {
                let (sx, sy) = vertical ? (x, image.height - 1 - y) : (image.width - 1 - x, y)
                for c in 0..<channels {
                    pixels[(y * image.width + x) * channels + c] = image.pixels[(sy * image.width + sx) * channels + c]
                }
            }
        }
        return try Image(width: image.width, height: image.height, layout: image.layout, pixels: pixels)
    }
}

/// A string key for the config entries, whose keys depend on the type.
struct _TransformKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension SelfSupTransform: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: _TransformKey.self)
        let type = try container.decode(String.self, forKey: _TransformKey("type"), whenMissing: "a transform type name")
        let key = { (name: String) in _TransformKey(name) }
        func pair(_ name: String, default value: (Int, Int)?) throws -> (Int, Int) {
            if let single = try? container.decodeIfPresent(Int.self, forKey: key(name)) { return (single, single) }
            if let both = try container.decodeIfPresent([Int].self, forKey: key(name), expecting: "an integer or [w, h]") {
                guard both.count == 2 else {
                    throw ConfigDecodingError(
                        .invalidValue, codingPath: decoder.codingPath + [key(name)], expected: "[w, h]",
                        actual: "\(both.count) integers")
                }
                return (both[0], both[1])
            }
            if let value { return value }
            throw ConfigDecodingError(
                .missing, codingPath: decoder.codingPath + [key(name)], expected: "an integer or [w, h]", actual: "nothing")
        }
        func positive(_ name: String, _ value: (Int, Int)) throws -> (Int, Int) {
            guard value.0 > 0, value.1 > 0, value.0 <= 1 << 16, value.1 <= 1 << 16 else {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath + [key(name)], expected: "positive sizes up to 65536",
                    actual: "\(value.0), \(value.1)")
            }
            return value
        }
        func range(_ name: String, default value: ClosedRange<Double>) throws -> ClosedRange<Double> {
            guard let bounds = try container.decodeIfPresent([Double].self, forKey: key(name), expecting: "[min, max]")
            else { return value }
            guard bounds.count == 2, bounds[0] > 0, bounds[0] <= bounds[1], bounds[1].isFinite else {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath + [key(name)],
                    expected: "[min, max] with 0 < min ≤ max", actual: "\(bounds)")
            }
            return bounds[0]...bounds[1]
        }
        func probability(_ name: String = "prob", default value: Double) throws -> Double {
            try container.decodeIfPresent(Double.self, forKey: key(name), in: 0...1) ?? value
        }
        func filter(default value: String) throws -> String {
            let name = try container.decodeIfPresent(String.self, forKey: key("interpolation")) ?? value
            guard PillowFilter(name: name) != nil else {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath + [key("interpolation")],
                    expected: "one of nearest, bilinear, bicubic, box, hamming, lanczos", actual: "`\(name)`")
            }
            return name.lowercased()
        }
        switch type {
        case "Resize":
            try decoder.rejectUnknownKeys(["type", "scale", "backend", "interpolation", "keep_ratio"])
            let (width, height) = try positive("scale", try pair("scale", default: nil))
            let backendName = try container.decodeIfPresent(String.self, forKey: key("backend")) ?? "cv2"
            guard let backend = Backend(rawValue: backendName) else {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath + [key("backend")], expected: "pillow or cv2",
                    actual: "`\(backendName)`")
            }
            if try container.decodeIfPresent(Bool.self, forKey: key("keep_ratio")) == true {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath + [key("keep_ratio")], expected: "false (not supported yet)",
                    actual: "true")
            }
            let interpolation = try filter(default: "bilinear")
            if backend == .cv2 && ResizeInterpolation(rawValue: interpolation) == nil {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath + [key("interpolation")],
                    expected: "nearest or bilinear with backend cv2", actual: "`\(interpolation)`")
            }
            self = .resize(width: width, height: height, backend: backend, interpolation: interpolation)
        case "RandomResizedCrop":
            try decoder.rejectUnknownKeys(["type", "size", "scale", "ratio", "interpolation", "backend"])
            let (size, other) = try positive("size", try pair("size", default: nil))
            guard size == other else {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath + [key("size")], expected: "a square size",
                    actual: "\(size)×\(other)")
            }
            let scale = try range("scale", default: 0.08...1.0)
            guard scale.upperBound <= 1 else {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath + [key("scale")], expected: "fractions up to 1",
                    actual: "\(scale)")
            }
            let interpolation = PillowFilter(name: try filter(default: "bilinear")) ?? .bilinear
            self = .randomResizedCrop(
                size: size, scale: scale, ratio: try range("ratio", default: 0.75...(4.0 / 3.0)),
                interpolation: interpolation)
        case "CenterCrop":
            try decoder.rejectUnknownKeys(["type", "crop_size"])
            let (width, height) = try positive("crop_size", try pair("crop_size", default: nil))
            self = .centerCrop(width: width, height: height)
        case "RandomFlip":
            try decoder.rejectUnknownKeys(["type", "prob", "direction"])
            let direction = try container.decodeIfPresent(String.self, forKey: key("direction")) ?? "horizontal"
            guard direction == "horizontal" || direction == "vertical" else {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath + [key("direction")],
                    expected: "horizontal or vertical", actual: "`\(direction)`")
            }
            self = .randomFlip(prob: try probability(default: 0.5), vertical: direction == "vertical")
        case "RandomGrayscale":
            try decoder.rejectUnknownKeys(["type", "prob", "keep_channels"])
            self = .randomGrayscale(
                prob: try probability(default: 0.1),
                keepChannels: try container.decodeIfPresent(Bool.self, forKey: key("keep_channels")) ?? true)
        case "RandomSolarize":
            try decoder.rejectUnknownKeys(["type", "threshold", "prob"])
            self = .randomSolarize(
                threshold: try container.decodeIfPresent(Int.self, forKey: key("threshold"), in: 0...256) ?? 128,
                prob: try probability(default: 0.5))
        case "ColorJitter":
            try decoder.rejectUnknownKeys(["type", "brightness", "contrast", "saturation", "hue"])
            self = .colorJitter(
                brightness: try container.decodeIfPresent(Double.self, forKey: key("brightness"), in: 0...100) ?? 0,
                contrast: try container.decodeIfPresent(Double.self, forKey: key("contrast"), in: 0...100) ?? 0,
                saturation: try container.decodeIfPresent(Double.self, forKey: key("saturation"), in: 0...100) ?? 0,
                hue: try container.decodeIfPresent(Double.self, forKey: key("hue"), in: 0...0.5) ?? 0)
        case "RandomGaussianBlur":
            try decoder.rejectUnknownKeys(["type", "sigma_min", "sigma_max", "prob"])
            let low = try container.decode(Double.self, forKey: key("sigma_min"), whenMissing: "a number")
            let high = try container.decode(Double.self, forKey: key("sigma_max"), whenMissing: "a number")
            guard low >= 0, low <= high, high <= 1e4 else {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath + [key("sigma_max")],
                    expected: "0 ≤ sigma_min ≤ sigma_max ≤ 10000", actual: "\(low), \(high)")
            }
            self = .randomGaussianBlur(sigma: low...high, prob: try probability(default: 0.5))
        case "RandomApply":
            try decoder.rejectUnknownKeys(["type", "transforms", "prob"])
            self = .randomApply(
                transforms: try container.decode([SelfSupTransform].self, forKey: key("transforms"), whenMissing: "a list of transforms"),
                prob: try probability(default: 0.5))
        case "MultiView":
            try decoder.rejectUnknownKeys(["type", "num_views", "transforms"])
            let pipelines = try container.decode(
                [[SelfSupTransform]].self, forKey: key("transforms"), whenMissing: "a list of view pipelines")
            let counts: [Int]
            if let single = try? container.decode(Int.self, forKey: key("num_views")) {
                counts = [single]
            } else {
                counts = try container.decode([Int].self, forKey: key("num_views"), whenMissing: "an integer or a list of integers")
            }
            guard !pipelines.isEmpty, counts.count == pipelines.count, counts.allSatisfy({ $0 > 0 && $0 <= 64 }) else {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath + [key("num_views")],
                    expected: "one count in 1...64 per view pipeline (\(pipelines.count))", actual: "\(counts)")
            }
            self = .multiView(counts: counts, pipelines: pipelines)
        case "LoadImageFromFile", "PackSelfSupInputs":
            // Their options concern file I/O and packing into tensors, which happen elsewhere here.
            self = .passThrough(type)
        default:
            throw ConfigDecodingError(
                .invalidValue, codingPath: decoder.codingPath + [key("type")],
                expected: "one of " + Self.typeNames.joined(separator: ", "), actual: "`\(type)`")
        }
    }
}
