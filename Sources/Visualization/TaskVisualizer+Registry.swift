import VisBackends
import VisCore

extension VisualizerRegistry {
    /// Makes a task visualizer from the task-specific keys of a visualizer config.
    public typealias TaskVisualizerFactory = @Sendable (TaskVisualizerOptions) throws -> any TaskVisualizer

    /// Registers a visualizer type whose instances draw data samples with a task visualizer.
    ///
    /// A config `{"type": typeName, "name": ..., "vis_backends": ..., <option keys>}` builds a ``Visualizer`` from
    /// the usual keys and sets its ``Visualizer/taskVisualizer`` to `make(options)`, where the options are the keys
    /// listed in `optionKeys` (MMDetection's `bbox_color`, `line_width`, ...).
    ///
    /// ```swift
    /// VisualizerRegistry.shared.registerTaskVisualizer("CenterDotVisualizer", optionKeys: ["radius"]) { options in
    ///     CenterDotVisualizer(radius: try options.double("radius") ?? 3)
    /// }
    /// ```
    public func registerTaskVisualizer(
        _ typeName: String, optionKeys: [String], make: @escaping TaskVisualizerFactory
    ) {
        register(typeName) { config in
            var visualizerConfig = config
            var options = OrderedDictionary<String, ConfigValue>()
            for key in optionKeys {
                if let value = visualizerConfig.values.removeValue(forKey: key) { options[key] = value }
            }
            let task = try make(TaskVisualizerOptions(values: options))
            let visualizer = try Visualizer(config: visualizerConfig)
            visualizer.taskVisualizer = task
            return visualizer
        }
    }

    /// Registers the built-in task visualizers under their names and MMDetection's, MMSegmentation's,
    /// MMPretrain's and MMPose's: `DetectionVisualizer` / `DetLocalVisualizer`, `SegmentationVisualizer` /
    /// `SegLocalVisualizer`, `ClassificationVisualizer` / `UniversalVisualizer`, `PoseVisualizer` /
    /// `PoseLocalVisualizer`, and MMSelfSup's `SelfSupVisualizer`.
    func _registerBuiltInTaskVisualizers() {
        for kind in TaskKind.allCases {
            for typeName in kind.typeNames {
                registerTaskVisualizer(typeName, optionKeys: kind.optionKeys) { options in
                    try kind.makeVisualizer(options: options)
                }
            }
        }
        SelfSupVisualizer._register(in: self)
    }
}

/// The task-specific keys of a visualizer config, decoded with `ConfigValueDecoder`; errors name the key path.
public struct TaskVisualizerOptions: Sendable {
    /// The keys and their values.
    public var values: OrderedDictionary<String, ConfigValue>

    /// Wraps config values.
    public init(values: OrderedDictionary<String, ConfigValue> = [:]) {
        self.values = values
    }

    /// All the options decoded as `type` (a `Decodable` struct with the option names as coding keys).
    ///
    /// - Throws: ``VisualizerError/configValue(key:expected:actual:)`` naming the key path at fault.
    public func decode<Options: Decodable>(_ type: Options.Type) throws -> Options {
        do {
            return try ConfigValueDecoder().decode(type, from: .dictionary(values))
        } catch let error as ConfigDecodingError {
            throw VisualizerError(error)
        }
    }

    /// The option `key` decoded as `type`, or nil when it is absent or null.
    ///
    /// - Throws: ``VisualizerError/configValue(key:expected:actual:)`` naming the key path.
    public func value<Value: Decodable>(_ key: String, as type: Value.Type) throws -> Value? {
        guard let value = values[key], !value.isNull else { return nil }
        do {
            return try ConfigValueDecoder().decode(type, from: value, codingPath: [.key(key)])
        } catch let error as ConfigDecodingError {
            throw VisualizerError(error)
        }
    }

    /// The number at `key`, or nil when it is absent or null.
    ///
    /// - Throws: ``VisualizerError/configValue(key:expected:actual:)`` for a value that is not a number in
    ///   `range` (NaN never is).
    public func double(_ key: String, in range: ClosedRange<Double> = -.greatestFiniteMagnitude...(.greatestFiniteMagnitude))
        throws -> Double?
    {
        try value(key, in: range)
    }

    /// The whole number at `key`, or nil when it is absent or null.
    ///
    /// - Throws: ``VisualizerError/configValue(key:expected:actual:)`` for a value that is not an integer in
    ///   `range`.
    public func int(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        try value(key, in: range)
    }

    private func value<Value: Decodable & Comparable & CustomStringConvertible>(
        _ key: String, in range: ClosedRange<Value>
    ) throws -> Value? {
        guard let number = try value(key, as: Value.self) else { return nil }
        guard range.contains(number) else {
            throw VisualizerError(ConfigDecodingError.outOfRange(number, range, path: [.key(key)], written: values[key]))
        }
        return number
    }

    /// The flag at `key`, or nil when it is absent or null.
    ///
    /// - Throws: ``VisualizerError/configValue(key:expected:actual:)`` for a value that is not a bool.
    public func bool(_ key: String) throws -> Bool? { try value(key, as: Bool.self) }

    /// The colour at `key` (a colour string or `[r, g, b]` on the 0-255 scale), or nil when absent or null.
    ///
    /// - Throws: ``VisualizerError/configValue(key:expected:actual:)`` for anything else.
    public func color(_ key: String) throws -> Color? { try value(key, as: Color.self) }
}

extension TaskKind {
    /// The registry type names of this task's visualizer: ours, then the OpenMMLab one.
    public var typeNames: [String] {
        switch self {
        case .detection: return ["DetectionVisualizer", "DetLocalVisualizer"]
        case .segmentation: return ["SegmentationVisualizer", "SegLocalVisualizer"]
        case .classification: return ["ClassificationVisualizer", "UniversalVisualizer"]
        case .pose: return ["PoseVisualizer", "PoseLocalVisualizer"]
        }
    }

    /// The config keys of this task's visualizer (OpenMMLab's names).
    public var optionKeys: [String] {
        switch self {
        case .detection: return ["bbox_color", "text_color", "mask_color", "line_width", "alpha", "font_size"]
        case .segmentation: return ["alpha", "with_labels", "font_size"]
        case .classification: return ["topk", "font_size", "text_color"]
        case .pose: return ["kpt_thr", "radius", "line_width", "alpha", "draw_bbox"]
        }
    }

    /// The built-in visualizer of this task with its defaults.
    public func makeVisualizer() -> any TaskVisualizer {
        switch self {
        case .detection: return DetectionVisualizer()
        case .segmentation: return SegmentationVisualizer()
        case .classification: return ClassificationVisualizer()
        case .pose: return PoseVisualizer()
        }
    }

    /// The built-in visualizer of this task configured by `options` (see ``optionKeys``); absent keys keep the
    /// defaults.
    ///
    /// - Throws: ``VisualizerError/configValue(key:expected:actual:)`` for a value of the wrong type or range.
    public func makeVisualizer(options: TaskVisualizerOptions) throws -> any TaskVisualizer {
        switch self {
        case .detection: return try options.decode(_DetectionOptions.self).visualizer
        case .segmentation: return try options.decode(_SegmentationOptions.self).visualizer
        case .classification: return try options.decode(_ClassificationOptions.self).visualizer
        case .pose: return try options.decode(_PoseOptions.self).visualizer
        }
    }
}

/// The OpenMMLab option names of the built-in task visualizers.
private enum _TaskOptionKey: String, CodingKey {
    case bboxColor = "bbox_color", textColor = "text_color", maskColor = "mask_color", lineWidth = "line_width"
    case alpha, fontSize = "font_size", withLabels = "with_labels", topK = "topk", keypointThreshold = "kpt_thr"
    case radius, drawBoxes = "draw_bbox"
}

/// MMDetection's `DetLocalVisualizer` options on a ``DetectionVisualizer`` with its defaults.
private struct _DetectionOptions: Decodable {
    var visualizer = DetectionVisualizer()

    init(from decoder: any Decoder) throws {
        let options = try decoder.container(keyedBy: _TaskOptionKey.self)
        visualizer.boxColor = try options.decodeIfPresent(Color.self, forKey: .bboxColor)
        visualizer.textColor = try options.decodeIfPresent(Color.self, forKey: .textColor) ?? visualizer.textColor
        visualizer.maskColor = try options.decodeIfPresent(Color.self, forKey: .maskColor)
        visualizer.lineWidth = try options.decodeIfPresent(Double.self, forKey: .lineWidth, in: 0...100)
            ?? visualizer.lineWidth
        visualizer.alpha = try options.decodeIfPresent(Double.self, forKey: .alpha, in: 0...1) ?? visualizer.alpha
        visualizer.fontSize = try options.decodeIfPresent(Double.self, forKey: .fontSize, in: 1...200)
            ?? visualizer.fontSize
    }
}

/// MMSegmentation's `SegLocalVisualizer` options on a ``SegmentationVisualizer`` with its defaults.
private struct _SegmentationOptions: Decodable {
    var visualizer = SegmentationVisualizer()

    init(from decoder: any Decoder) throws {
        let options = try decoder.container(keyedBy: _TaskOptionKey.self)
        visualizer.alpha = try options.decodeIfPresent(Double.self, forKey: .alpha, in: 0...1) ?? visualizer.alpha
        visualizer.showLegend = try options.decodeIfPresent(Bool.self, forKey: .withLabels) ?? visualizer.showLegend
        visualizer.fontSize = try options.decodeIfPresent(Double.self, forKey: .fontSize, in: 1...200)
            ?? visualizer.fontSize
    }
}

/// MMPretrain's `UniversalVisualizer` options on a ``ClassificationVisualizer`` with its defaults.
private struct _ClassificationOptions: Decodable {
    var visualizer = ClassificationVisualizer()

    init(from decoder: any Decoder) throws {
        let options = try decoder.container(keyedBy: _TaskOptionKey.self)
        visualizer.topK = try options.decodeIfPresent(Int.self, forKey: .topK, in: 1...1000) ?? visualizer.topK
        visualizer.fontSize = try options.decodeIfPresent(Double.self, forKey: .fontSize, in: 1...200)
        visualizer.textColor = try options.decodeIfPresent(Color.self, forKey: .textColor) ?? visualizer.textColor
    }
}

/// MMPose's `PoseLocalVisualizer` options on a ``PoseVisualizer`` with its defaults.
private struct _PoseOptions: Decodable {
    var visualizer = PoseVisualizer()

    init(from decoder: any Decoder) throws {
        let options = try decoder.container(keyedBy: _TaskOptionKey.self)
        visualizer.keypointThreshold = try options.decodeIfPresent(
            Double.self, forKey: .keypointThreshold, in: -.greatestFiniteMagnitude...(.greatestFiniteMagnitude))
            ?? visualizer.keypointThreshold
        visualizer.radius = try options.decodeIfPresent(Double.self, forKey: .radius, in: 0...1000) ?? visualizer.radius
        visualizer.lineWidth = try options.decodeIfPresent(Double.self, forKey: .lineWidth, in: 0...100)
            ?? visualizer.lineWidth
        visualizer.alpha = try options.decodeIfPresent(Double.self, forKey: .alpha, in: 0...1) ?? visualizer.alpha
        visualizer.drawBoxes = try options.decodeIfPresent(Bool.self, forKey: .drawBoxes) ?? visualizer.drawBoxes
    }
}
