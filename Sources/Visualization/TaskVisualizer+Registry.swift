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
    /// `PoseLocalVisualizer`.
    func _registerBuiltInTaskVisualizers() {
        for kind in TaskKind.allCases {
            for typeName in kind.typeNames {
                registerTaskVisualizer(typeName, optionKeys: kind.optionKeys) { options in
                    try kind.makeVisualizer(options: options)
                }
            }
        }
    }
}

/// The task-specific keys of a visualizer config, with typed accessors whose errors name the key.
public struct TaskVisualizerOptions: Sendable {
    /// The keys and their values.
    public var values: OrderedDictionary<String, ConfigValue>

    /// Wraps config values.
    public init(values: OrderedDictionary<String, ConfigValue> = [:]) {
        self.values = values
    }

    /// The number at `key`, or nil when it is absent or null.
    ///
    /// - Throws: ``VisualizerError/configValue(key:expected:actual:)`` for a value that is not a finite number
    ///   in `range`.
    public func double(_ key: String, in range: ClosedRange<Double> = -.greatestFiniteMagnitude...(.greatestFiniteMagnitude))
        throws -> Double?
    {
        guard let value = values[key], !value.isNull else { return nil }
        guard let number = value.doubleValue, number.isFinite, range.contains(number) else {
            throw VisualizerError.configValue(
                key: key, expected: "a number in \(range.lowerBound)...\(range.upperBound)", actual: value.description)
        }
        return number
    }

    /// The whole number at `key`, or nil when it is absent or null.
    ///
    /// - Throws: ``VisualizerError/configValue(key:expected:actual:)`` for a value that is not an integer in
    ///   `range`.
    public func int(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = values[key], !value.isNull else { return nil }
        guard let number = value.intValue, range.contains(number) else {
            throw VisualizerError.configValue(
                key: key, expected: "an integer in \(range.lowerBound)...\(range.upperBound)", actual: value.description)
        }
        return number
    }

    /// The flag at `key`, or nil when it is absent or null.
    ///
    /// - Throws: ``VisualizerError/configValue(key:expected:actual:)`` for a value that is not a bool.
    public func bool(_ key: String) throws -> Bool? {
        guard let value = values[key], !value.isNull else { return nil }
        guard let flag = value.boolValue else {
            throw VisualizerError.configValue(key: key, expected: "true or false", actual: value.description)
        }
        return flag
    }

    /// The colour at `key` (a colour string or `[r, g, b]` on the 0-255 scale), or nil when absent or null.
    ///
    /// - Throws: ``VisualizerError/configValue(key:expected:actual:)`` for anything else.
    public func color(_ key: String) throws -> Color? {
        guard let value = values[key], !value.isNull else { return nil }
        do {
            return try _parseColor(value, field: key)
        } catch let error as DataSampleError {
            throw VisualizerError.configValue(key: key, expected: "a colour ([r, g, b] or a name)", actual: "\(error)")
        }
    }
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
        case .detection:
            var visualizer = DetectionVisualizer()
            visualizer.boxColor = try options.color("bbox_color")
            visualizer.textColor = try options.color("text_color") ?? visualizer.textColor
            visualizer.maskColor = try options.color("mask_color")
            visualizer.lineWidth = try options.double("line_width", in: 0...100) ?? visualizer.lineWidth
            visualizer.alpha = try options.double("alpha", in: 0...1) ?? visualizer.alpha
            visualizer.fontSize = try options.double("font_size", in: 1...200) ?? visualizer.fontSize
            return visualizer
        case .segmentation:
            var visualizer = SegmentationVisualizer()
            visualizer.alpha = try options.double("alpha", in: 0...1) ?? visualizer.alpha
            visualizer.showLegend = try options.bool("with_labels") ?? visualizer.showLegend
            visualizer.fontSize = try options.double("font_size", in: 1...200) ?? visualizer.fontSize
            return visualizer
        case .classification:
            var visualizer = ClassificationVisualizer()
            visualizer.topK = try options.int("topk", in: 1...1000) ?? visualizer.topK
            visualizer.fontSize = try options.double("font_size", in: 1...200)
            visualizer.textColor = try options.color("text_color") ?? visualizer.textColor
            return visualizer
        case .pose:
            var visualizer = PoseVisualizer()
            visualizer.keypointThreshold = try options.double("kpt_thr") ?? visualizer.keypointThreshold
            visualizer.radius = try options.double("radius", in: 0...1000) ?? visualizer.radius
            visualizer.lineWidth = try options.double("line_width", in: 0...100) ?? visualizer.lineWidth
            visualizer.alpha = try options.double("alpha", in: 0...1) ?? visualizer.alpha
            visualizer.drawBoxes = try options.bool("draw_bbox") ?? visualizer.drawBoxes
            return visualizer
        }
    }
}
