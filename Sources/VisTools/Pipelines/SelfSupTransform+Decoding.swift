import VisBackends
import VisCore

/// A string key for the config entries, whose keys depend on the type.
struct _TransformKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension SelfSupTransform: Decodable {
    /// Decodes one `{type: ..., ...}` entry with the original's parameter names and defaults.
    ///
    /// - Throws: `ConfigDecodingError` naming the entry and key at fault: an unknown type or parameter, a value
    ///   of the wrong kind or out of range.
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
        func filter(_ name: String = "interpolation", default value: String) throws -> String {
            let filterName = try container.decodeIfPresent(String.self, forKey: key(name)) ?? value
            guard PillowFilter(name: filterName) != nil else {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath + [key(name)],
                    expected: "one of nearest, bilinear, bicubic, box, hamming, lanczos", actual: "`\(filterName)`")
            }
            return filterName.lowercased()
        }
        func square(_ name: String) throws -> Int {
            let (size, other) = try positive(name, try pair(name, default: nil))
            guard size == other else {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath + [key(name)], expected: "a square size",
                    actual: "\(size)×\(other)")
            }
            return size
        }
        // mmcv's `backend` (cv2 unless given) and `interpolation` of a resize; OpenCV's filters here are nearest and
        // bilinear.
        func resizeBackend() throws -> (backend: Backend, interpolation: String) {
            let backendName = try container.decodeIfPresent(String.self, forKey: key("backend")) ?? "cv2"
            guard let backend = Backend(rawValue: backendName) else {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath + [key("backend")], expected: "pillow or cv2",
                    actual: "`\(backendName)`")
            }
            let interpolation = try filter(default: "bilinear")
            if backend == .cv2 && ResizeInterpolation(rawValue: interpolation) == nil {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath + [key("interpolation")],
                    expected: "nearest or bilinear with backend cv2 (others with backend pillow)",
                    actual: "`\(interpolation)`")
            }
            return (backend, interpolation)
        }
        func cropParameters() throws -> (scale: ClosedRange<Double>, ratio: ClosedRange<Double>) {
            let scale = try range("scale", default: 0.08...1.0)
            guard scale.upperBound <= 1 else {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath + [key("scale")], expected: "fractions up to 1",
                    actual: "\(scale)")
            }
            return (scale, try range("ratio", default: 0.75...(4.0 / 3.0)))
        }
        // A mask generator's range errors, reported at the entry's key its argument names.
        func generator<Value>(_ make: () throws -> Value) throws -> Value {
            do {
                return try make()
            } catch let error as ReconstructionError {
                guard case let .invalidArgument(argument, expected, actual) = error else { throw error }
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath + [key(argument)], expected: expected, actual: actual)
            }
        }
        func integer(_ name: String, default value: Int?) throws -> Int {
            if let found = try container.decodeIfPresent(Int.self, forKey: key(name), expecting: "an integer") { return found }
            if let value { return value }
            throw ConfigDecodingError(.missing, codingPath: decoder.codingPath + [key(name)], expected: "an integer", actual: "nothing")
        }
        switch type {
        case "Resize":
            try decoder.rejectUnknownKeys(["type", "scale", "backend", "interpolation", "keep_ratio"])
            let (width, height) = try positive("scale", try pair("scale", default: nil))
            let keepRatio = try container.decodeIfPresent(Bool.self, forKey: key("keep_ratio")) ?? false
            let resizing = try resizeBackend()
            self = .resize(
                width: width, height: height, keepRatio: keepRatio, backend: resizing.backend,
                interpolation: resizing.interpolation)
        case "RandomResizedCrop":
            try decoder.rejectUnknownKeys(["type", "size", "scale", "ratio", "interpolation", "backend"])
            let crop = try cropParameters()
            let resizing = try resizeBackend()
            self = .randomResizedCrop(
                size: try square("size"), scale: crop.scale, ratio: crop.ratio, backend: resizing.backend,
                interpolation: resizing.interpolation)
        case "RandomResizedCropAndInterpolationWithTwoPic":
            try decoder.rejectUnknownKeys([
                "type", "size", "second_size", "scale", "ratio", "interpolation", "second_interpolation",
            ])
            let crop = try cropParameters()
            let size = try square("size")
            self = .randomResizedCropTwoPic(
                size: size, secondSize: try container.contains(key("second_size")) ? square("second_size") : size,
                scale: crop.scale, ratio: crop.ratio,
                interpolation: PillowFilter(name: try filter(default: "bilinear")) ?? .bilinear,
                secondInterpolation: PillowFilter(name: try filter("second_interpolation", default: "lanczos")) ?? .lanczos)
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
            try decoder.rejectUnknownKeys(["type", "prob", "keep_channels", "channel_weights", "color_format"])
            let weights = try container.decodeIfPresent([Double].self, forKey: key("channel_weights"), expecting: "[w1, w2, w3]")
                ?? [1, 1, 1]
            guard weights.count == 3, weights.allSatisfy({ $0 >= 0 && $0.isFinite }), weights.reduce(0, +) > 0 else {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath + [key("channel_weights")],
                    expected: "three non-negative weights with a positive sum", actual: "\(weights)")
            }
            let formatName = try container.decodeIfPresent(String.self, forKey: key("color_format")) ?? "bgr"
            guard let colorFormat = ColorFormat(rawValue: formatName) else {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath + [key("color_format")], expected: "bgr or rgb",
                    actual: "`\(formatName)`")
            }
            self = .randomGrayscale(
                prob: try probability(default: 0.1),
                keepChannels: try container.decodeIfPresent(Bool.self, forKey: key("keep_channels")) ?? false,
                channelWeights: weights, colorFormat: colorFormat)
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
        case "SimMIMMaskGenerator":
            try decoder.rejectUnknownKeys(["type", "input_size", "mask_patch_size", "model_patch_size", "mask_ratio"])
            let inputSize = try integer("input_size", default: 192)
            let maskPatchSize = try integer("mask_patch_size", default: 32)
            let modelPatchSize = try integer("model_patch_size", default: 4)
            let maskRatio = try container.decodeIfPresent(Double.self, forKey: key("mask_ratio")) ?? 0.6
            self = .simMIMMask(try generator {
                try SimMIMMaskGenerator(
                    inputSize: inputSize, maskPatchSize: maskPatchSize, modelPatchSize: modelPatchSize, maskRatio: maskRatio)
            })
        case "BEiTMaskGenerator":
            try decoder.rejectUnknownKeys([
                "type", "input_size", "num_masking_patches", "min_num_patches", "max_num_patches", "min_aspect", "max_aspect",
            ])
            let side = try square("input_size")
            let count = try integer("num_masking_patches", default: nil)
            let minimum = try integer("min_num_patches", default: 4)
            let maximum = try container.decodeIfPresent(Int.self, forKey: key("max_num_patches"))
            let minAspect = try container.decodeIfPresent(Double.self, forKey: key("min_aspect")) ?? 0.3
            let maxAspect = try container.decodeIfPresent(Double.self, forKey: key("max_aspect"))
            self = .beitMask(try generator {
                try BEiTMaskGenerator(
                    inputSize: side, numMaskingPatches: count, minNumPatches: minimum, maxNumPatches: maximum,
                    minAspect: minAspect, maxAspect: maxAspect)
            })
        case "MAEMaskGenerator":
            try decoder.rejectUnknownKeys(["type", "patch_size", "mask_ratio"])
            let patchSize = try integer("patch_size", default: 16)
            let maskRatio = try container.decodeIfPresent(Double.self, forKey: key("mask_ratio")) ?? 0.75
            self = .maeMask(try generator { try MAEMaskGenerator(patchSize: patchSize, maskRatio: maskRatio) })
        case "LoadImageFromFile":
            // mmcv's options; those of file access and decoding have nothing to change on an image loaded here.
            try decoder.rejectUnknownKeys([
                "type", "to_float32", "color_type", "imdecode_backend", "file_client_args", "ignore_empty", "backend_args",
            ])
            let colorType = try container.decodeIfPresent(String.self, forKey: key("color_type")) ?? "color"
            guard colorType == "color" else {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath + [key("color_type")],
                    expected: "color (three channels, as MMSelfSup's pipelines load)", actual: "`\(colorType)`")
            }
            self = .passThrough(type)
        case "PackSelfSupInputs":
            // Packing into tensors happens elsewhere here; the keys only choose what is packed.
            try decoder.rejectUnknownKeys(["type", "key", "algorithm_keys", "pseudo_label_keys", "meta_keys"])
            self = .passThrough(type)
        default:
            throw ConfigDecodingError(
                .invalidValue, codingPath: decoder.codingPath + [key("type")],
                expected: "one of " + Self.typeNames.joined(separator: ", "), actual: "`\(type)`")
        }
    }
}
