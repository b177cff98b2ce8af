import Foundation
import VisBackends
import VisCore

/// Draws one side of a ``DataSample`` for a task: the extension point of
/// ``Visualizer/addDatasample(name:image:dataSample:drawGT:drawPred:show:waitTime:predScoreThreshold:step:outFile:)``.
///
/// MMEngine's downstream libraries subclass `Visualizer` and override `add_datasample`; here a task visualizer is
/// a small value that a ``Visualizer`` holds (``Visualizer/taskVisualizer``). `addDatasample` does the shared
/// work — validation, score filtering, panels, storage — and calls ``draw(_:on:context:)`` once per side with the
/// visualizer's image set to the input image. Draw with the visualizer's drawing methods; what the image holds
/// afterwards becomes the panel.
///
/// ```swift
/// struct CenterDotVisualizer: TaskVisualizer {
///     func draw(_ annotations: DataSample.Annotations, on visualizer: Visualizer, context: TaskDrawingContext) throws {
///         let centers = (annotations.instances?.boxes ?? []).map { [($0.x1 + $0.x2) / 2, ($0.y1 + $0.y2) / 2] }
///         try visualizer.drawPoints(centers, colors: "r")
///     }
/// }
/// visualizer.taskVisualizer = CenterDotVisualizer()
/// ```
///
/// See <doc:CustomTaskVisualizers> for the walk-through, and ``DetectionVisualizer``,
/// ``SegmentationVisualizer``, ``ClassificationVisualizer`` and ``PoseVisualizer`` for the built-in ones.
public protocol TaskVisualizer: Sendable {
    /// The name used in messages (default: the type's name).
    var name: String { get }

    /// Whether `annotations` hold anything this visualizer draws. A side for which this is false gets no panel;
    /// the default is "anything is set" (``DataSample/Annotations/isEmpty`` is false).
    func canDraw(_ annotations: DataSample.Annotations) -> Bool

    /// Draws `annotations` on `visualizer`'s image, which is the input image when this is called.
    ///
    /// The sample has been validated against the image and ``TaskDrawingContext/meta`` (see
    /// ``DataSample/validate(imageWidth:imageHeight:meta:)``), and on the prediction side instances at or below
    /// the score threshold have been removed.
    ///
    /// - Throws: Whatever drawing throws; `addDatasample` passes it on and stores nothing.
    func draw(_ annotations: DataSample.Annotations, on visualizer: Visualizer, context: TaskDrawingContext) throws
}

extension TaskVisualizer {
    public var name: String { String(describing: Self.self) }

    public func canDraw(_ annotations: DataSample.Annotations) -> Bool { !annotations.isEmpty }
}

/// What a ``TaskVisualizer`` knows while it draws one side.
public struct TaskDrawingContext: Sendable {
    /// The side being drawn.
    public var side: AnnotationSide
    /// The dataset metadata (class names, palette, skeleton).
    public var meta: DatasetMeta
    /// The image's width in pixels.
    public var imageWidth: Int
    /// The image's height in pixels.
    public var imageHeight: Int
    /// Predictions scoring at or below this are hidden (`addDatasample`'s `predScoreThreshold`).
    public var predScoreThreshold: Double
    /// The sample's metainfo.
    public var metainfo: [String: ConfigValue]

    /// Creates a context.
    public init(
        side: AnnotationSide, meta: DatasetMeta, imageWidth: Int, imageHeight: Int, predScoreThreshold: Double = 0.3,
        metainfo: [String: ConfigValue] = [:]
    ) {
        self.side = side
        self.meta = meta
        self.imageWidth = imageWidth
        self.imageHeight = imageHeight
        self.predScoreThreshold = predScoreThreshold
        self.metainfo = metainfo
    }

    /// ``TaskLayout/imageScale(width:height:)`` of the image: the factor widths and font sizes grow by on large
    /// images.
    public var imageScale: Double { TaskLayout.imageScale(width: imageWidth, height: imageHeight) }
}

/// The built-in tasks, for choosing a visualizer by name (`vis datasample --task`) or from a sample's content.
public enum TaskKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Boxes, masks and polygons with class labels: ``DetectionVisualizer``.
    case detection
    /// A per-pixel class map: ``SegmentationVisualizer``.
    case segmentation
    /// Image-level labels and scores: ``ClassificationVisualizer``.
    case classification
    /// Keypoints and skeletons: ``PoseVisualizer``.
    case pose

    public var description: String { rawValue }

    /// The task a sample is for, judged from what either side holds, in this order: keypoints → pose; boxes,
    /// masks or polygons → detection; a segmentation map → segmentation; image-level labels or scores →
    /// classification. `nil` for an empty sample.
    public static func infer(from sample: DataSample) -> TaskKind? {
        let sides = [sample.groundTruth, sample.prediction]
        let instances = sides.compactMap(\.instances)
        if instances.contains(where: { $0.keypoints != nil }) { return .pose }
        if instances.contains(where: { $0.boxes != nil || $0.masks != nil || $0.polygons != nil }) { return .detection }
        if sides.contains(where: { $0.semanticSegmentation != nil }) { return .segmentation }
        if sides.contains(where: { $0.labels != nil || $0.scores != nil }) { return .classification }
        return nil
    }
}

/// A visualizer's task visualizer, and the lock that keeps one `addDatasample`'s set-image / draw / get-image
/// sequence from interleaving with another thread's.
final class _TaskVisualizerSlot: @unchecked Sendable {
    /// Held for a whole `addDatasample`; recursive so that a warning handler may call back into the visualizer.
    let sequenceLock = NSRecursiveLock()
    private let _visualizer = LockedValue<(any TaskVisualizer)?>(nil)

    var visualizer: (any TaskVisualizer)? {
        get { _visualizer.withLock { $0 } }
        set { _visualizer.withLock { $0 = newValue } }
    }
}

extension Visualizer {
    /// The task visualizer ``addDatasample(name:image:dataSample:drawGT:drawPred:show:waitTime:predScoreThreshold:step:outFile:)``
    /// draws with; `nil` picks a built-in one per sample (``TaskKind/infer(from:)``). Visualizers built from a
    /// config of type `DetectionVisualizer` (and the other built-in names) have it set.
    public var taskVisualizer: (any TaskVisualizer)? {
        get { _taskSlot.visualizer }
        set { _taskSlot.visualizer = newValue }
    }
}
