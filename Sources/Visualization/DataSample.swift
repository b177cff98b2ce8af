import VisCore
import VisDraw

/// What a model saw and said about one image — MMEngine's `BaseDataElement` subclasses (`DetDataSample`,
/// `SegDataSample`, `DataSample` of MMPretrain, `PoseDataSample`) in one value: ground truth and prediction, each
/// with instances (boxes, masks, polygons, keypoints), a semantic segmentation map and classification labels, plus
/// free metainfo.
///
/// Task visualizers draw it with ``Visualizer/addDatasample(name:image:dataSample:drawGT:drawPred:show:waitTime:predScoreThreshold:step:outFile:)``.
/// Build one in code or load the JSON form (see <doc:CustomTaskVisualizers> and
/// ``DataSample/init(contentsOfJSONFile:)``):
///
/// ```swift
/// var sample = DataSample()
/// sample.groundTruth.instances = InstanceData(boxes: [BoundingBox(x1: 10, y1: 20, x2: 120, y2: 90)], labels: [0])
/// sample.prediction.instances = InstanceData(
///     boxes: [BoundingBox(x1: 12, y1: 18, x2: 118, y2: 95)], labels: [0], scores: [0.91])
/// ```
public struct DataSample: Sendable, Equatable {
    /// Free information about the image (`img_path`, `img_shape`, `ori_shape`, ...), as MMEngine's metainfo.
    public var metainfo: [String: ConfigValue]
    /// The annotations (`gt_instances`, `gt_sem_seg`, `gt_label`).
    public var groundTruth: Annotations
    /// The model's output (`pred_instances`, `pred_sem_seg`, `pred_label`, `pred_score`).
    public var prediction: Annotations

    /// Creates a sample.
    public init(
        metainfo: [String: ConfigValue] = [:], groundTruth: Annotations = Annotations(),
        prediction: Annotations = Annotations()
    ) {
        self.metainfo = metainfo
        self.groundTruth = groundTruth
        self.prediction = prediction
    }

    /// `metainfo["img_path"]`, the path of the image the sample describes.
    public var imagePath: String? { metainfo["img_path"]?.stringValue }

    /// `metainfo["img_shape"]` as (height, width): MMEngine stores `(h, w)` or `(h, w, c)`.
    public var imageShape: (height: Int, width: Int)? {
        guard let dims = metainfo["img_shape"]?.arrayValue, dims.count >= 2,
            let height = dims[0].intValue, let width = dims[1].intValue
        else { return nil }
        return (height, width)
    }

    /// The annotations of one side.
    public subscript(side: AnnotationSide) -> Annotations {
        get { side == .groundTruth ? groundTruth : prediction }
        set {
            if side == .groundTruth { groundTruth = newValue } else { prediction = newValue }
        }
    }
}

/// Which half of a ``DataSample`` is meant: the ground truth or the prediction.
public enum AnnotationSide: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The annotations (`gt_*` fields), drawn on the left panel.
    case groundTruth = "gt"
    /// The model's output (`pred_*` fields), drawn on the right panel.
    case prediction = "pred"

    /// `"gt"` or `"pred"`: the prefix of the side's JSON fields.
    public var description: String { rawValue }
}

extension DataSample {
    /// One side of a sample: everything is optional, and a side with nothing set is ``isEmpty``.
    public struct Annotations: Sendable, Equatable {
        /// Instance-level annotations (`gt_instances` / `pred_instances`).
        public var instances: InstanceData?
        /// A per-pixel class map (`gt_sem_seg` / `pred_sem_seg`).
        public var semanticSegmentation: SegmentationMap?
        /// Image-level class labels (`gt_label` / `pred_label`).
        public var labels: [Int]?
        /// Image-level scores, one per class (`pred_score`; MMPretrain's softmax output).
        public var scores: [Double]?

        /// Creates annotations.
        public init(
            instances: InstanceData? = nil, semanticSegmentation: SegmentationMap? = nil, labels: [Int]? = nil,
            scores: [Double]? = nil
        ) {
            self.instances = instances
            self.semanticSegmentation = semanticSegmentation
            self.labels = labels
            self.scores = scores
        }

        /// Whether nothing is set (an instance set with zero instances is not empty: it is drawn as "none found").
        public var isEmpty: Bool {
            instances == nil && semanticSegmentation == nil && labels == nil && scores == nil
        }
    }
}

/// A box in pixel coordinates, corners (x1, y1) top-left and (x2, y2) bottom-right: MMDetection's `xyxy` form.
public struct BoundingBox: Sendable, Hashable {
    /// The left edge.
    public var x1: Double
    /// The top edge.
    public var y1: Double
    /// The right edge.
    public var x2: Double
    /// The bottom edge.
    public var y2: Double

    /// Creates a box from its corners.
    public init(x1: Double, y1: Double, x2: Double, y2: Double) {
        self.x1 = x1
        self.y1 = y1
        self.x2 = x2
        self.y2 = y2
    }

    /// `x2 - x1`.
    public var width: Double { x2 - x1 }
    /// `y2 - y1`.
    public var height: Double { y2 - y1 }
    /// `width × height`, the area MMDetection scales labels by.
    public var area: Double { width * height }
    /// Whether every corner coordinate is finite.
    public var isFinite: Bool { x1.isFinite && y1.isFinite && x2.isFinite && y2.isFinite }
}

/// Instance-level annotations or predictions: MMEngine's `InstanceData` with the fields the task visualizers read.
///
/// Every field that is set has one entry per instance, so all agree on ``count`` (checked by
/// ``DataSample/validate(imageWidth:imageHeight:meta:)``). Pose instances usually have no labels.
public struct InstanceData: Sendable, Equatable {
    /// Boxes (`bboxes`, x1 y1 x2 y2 in pixels).
    public var boxes: [BoundingBox]?
    /// Class indices into ``DatasetMeta/classes`` (`labels`).
    public var labels: [Int]?
    /// Confidence scores in 0...1 (`scores`); predictions at or below the score threshold are hidden.
    public var scores: [Double]?
    /// Binary masks (`masks`), one per instance, each of the image's size.
    public var masks: InstanceMasks?
    /// Polygon masks (`polygons`): for each instance its polygons (an object may have several parts).
    public var polygons: [[[Point]]]?
    /// Keypoints (`keypoints`): for each instance its K points, in ``DatasetMeta/keypointNames`` order.
    public var keypoints: [[Point]]?
    /// Keypoint visibility (`keypoints_visible`), N×K, in 0...1 (COCO's 0/1/2 flags read as 0 = hidden).
    public var keypointsVisible: [[Double]]?
    /// Keypoint confidences (`keypoint_scores`), N×K.
    public var keypointScores: [[Double]]?

    /// Creates instances; every argument that is given must have one entry per instance.
    public init(
        boxes: [BoundingBox]? = nil, labels: [Int]? = nil, scores: [Double]? = nil, masks: InstanceMasks? = nil,
        polygons: [[[Point]]]? = nil, keypoints: [[Point]]? = nil, keypointsVisible: [[Double]]? = nil,
        keypointScores: [[Double]]? = nil
    ) {
        self.boxes = boxes
        self.labels = labels
        self.scores = scores
        self.masks = masks
        self.polygons = polygons
        self.keypoints = keypoints
        self.keypointsVisible = keypointsVisible
        self.keypointScores = keypointScores
    }

    /// The number of instances: the length of the first field set, in declaration order (0 when none is).
    public var count: Int {
        boxes?.count ?? labels?.count ?? scores?.count ?? masks?.count ?? polygons?.count ?? keypoints?.count
            ?? keypointsVisible?.count ?? keypointScores?.count ?? 0
    }

    /// The instances at `indices`, in that order (MMEngine's `instances[index_array]`).
    ///
    /// Indices must be in `0..<count` and every field must have ``count`` entries (validate first); an index
    /// out of range of a field is dropped for that field rather than trapping.
    public func selecting(_ indices: [Int]) -> InstanceData {
        func pick<T>(_ values: [T]?) -> [T]? {
            values.map { values in indices.compactMap { values.indices.contains($0) ? values[$0] : nil } }
        }
        return InstanceData(
            boxes: pick(boxes), labels: pick(labels), scores: pick(scores),
            masks: masks?.selecting(indices), polygons: pick(polygons), keypoints: pick(keypoints),
            keypointsVisible: pick(keypointsVisible), keypointScores: pick(keypointScores))
    }

    /// The instances whose score is above `threshold` (MMDetection keeps `scores > pred_score_thr`); all of them
    /// when there are no scores.
    public func filtered(scoreAbove threshold: Double) -> InstanceData {
        guard let scores else { return self }
        return selecting(scores.indices.filter { scores[$0] > threshold })
    }
}

/// N binary masks of one size, stored as bits (`true` = inside).
///
/// Built from an `NDArray` of shape N×H×W (or H×W for one mask) with the mask rule used everywhere a mask is
/// read (data samples, ``Visualizer/drawBinaryMasks(_:colors:alphas:)``, the `vis` commands): MMEngine casts masks
/// to `bool`, so **any non-zero value is inside**, whatever the element type — `bool` as is, 0/1 and 0/255
/// `uint8` alike, `0.5` inside, and NaN inside as NumPy casts it. Sizes are reported H×W.
public struct InstanceMasks: Sendable, Equatable {
    /// The number of masks.
    public let count: Int
    /// The height of each mask.
    public let height: Int
    /// The width of each mask.
    public let width: Int
    /// The masks, flat: mask `i`'s row `y`, column `x` is at `(i × height + y) × width + x`.
    public let bits: [Bool]

    /// Masks from flat bits.
    ///
    /// - Throws: ``DataSampleError/invalidField(field:expected:actual:)`` naming `masks` when `bits` does not
    ///   hold `count × height × width` values or a size is negative.
    public init(count: Int, height: Int, width: Int, bits: [Bool]) throws {
        guard count >= 0, height >= 0, width >= 0 else {
            throw DataSampleError.invalidField(
                field: "masks", expected: "non-negative sizes", actual: "\(count)×\(height)×\(width)")
        }
        let (plane, overflow1) = height.multipliedReportingOverflow(by: width)
        let (total, overflow2) = plane.multipliedReportingOverflow(by: count)
        guard !overflow1, !overflow2, total == bits.count else {
            throw DataSampleError.invalidField(
                field: "masks", expected: "\(count)×\(height)×\(width) values", actual: "\(bits.count) values")
        }
        self.count = count
        self.height = height
        self.width = width
        self.bits = bits
    }

    /// Masks from an N×H×W (or H×W) array; see the type's documentation for the accepted element types.
    ///
    /// - Throws: ``DataSampleError/invalidField(field:expected:actual:)`` naming `field` for another rank.
    public init(_ array: NDArray, field: String = "masks") throws {
        let shape: [Int]
        switch array.rank {
        case 3: shape = array.shape
        case 2: shape = [1] + array.shape
        default:
            throw DataSampleError.invalidField(
                field: field, expected: "an N×H×W array of masks", actual: "shape \(array.shape)")
        }
        try self.init(count: shape[0], height: shape[1], width: shape[2], bits: Self._bits(of: array))
    }

    /// The mask rule: each element of `array`, row-major, cast to `bool` as NumPy casts it (non-zero is `true`).
    static func _bits(of array: NDArray) -> [Bool] {
        if case .bool(let values) = array.storage { return values }
        return array.converted(to: .bool).values(as: Bool.self) ?? []
    }

    /// The masks as an N×H×W `bool` array.
    public var array: NDArray {
        // The element count is count × height × width by construction.
        (try? NDArray(bits, shape: [count, height, width])) ?? NDArray._emptyBool
    }

    /// The bits of mask `index` (row-major H×W).
    public func mask(at index: Int) -> ArraySlice<Bool> {
        let plane = height * width
        return bits[index * plane..<(index + 1) * plane]
    }

    /// The number of `true` pixels of mask `index`.
    public func area(at index: Int) -> Int {
        mask(at: index).reduce(0) { $0 + ($1 ? 1 : 0) }
    }

    /// The masks at `indices` (those out of range are dropped).
    public func selecting(_ indices: [Int]) -> InstanceMasks {
        let kept = indices.filter { $0 >= 0 && $0 < count }
        // Keeping every mask in order (a score threshold below all scores) shares the storage instead of copying.
        if kept.elementsEqual(0..<count) { return self }
        var selected: [Bool] = []
        selected.reserveCapacity(kept.count * height * width)
        for index in kept { selected.append(contentsOf: mask(at: index)) }
        return InstanceMasks(_trusted: kept.count, height: height, width: width, bits: selected)
    }

    /// For bits whose count is `count × height × width` by construction.
    init(_trusted count: Int, height: Int, width: Int, bits: [Bool]) {
        self.count = count
        self.height = height
        self.width = width
        self.bits = bits
    }
}

/// A per-pixel class map (MMSegmentation's `sem_seg`): each pixel holds a class index; values that are not a
/// class of the dataset (such as the ignore index 255) are left undrawn.
public struct SegmentationMap: Sendable, Equatable {
    /// The map's height.
    public let height: Int
    /// The map's width.
    public let width: Int
    /// The class index of each pixel, row-major.
    public let classIndices: [Int32]

    /// A map from row-major class indices.
    ///
    /// - Throws: ``DataSampleError/invalidField(field:expected:actual:)`` when `classIndices` does not hold
    ///   `width × height` values.
    public init(width: Int, height: Int, classIndices: [Int32]) throws {
        let (total, overflow) = max(width, 0).multipliedReportingOverflow(by: max(height, 0))
        guard width >= 0, height >= 0, !overflow, total == classIndices.count else {
            throw DataSampleError.invalidField(
                field: "sem_seg", expected: "\(width)×\(height) class indices", actual: "\(classIndices.count) values")
        }
        self.width = width
        self.height = height
        self.classIndices = classIndices
    }

    /// A map from an H×W (or 1×H×W) array of integers (floating-point arrays must hold whole numbers).
    ///
    /// - Throws: ``DataSampleError/invalidField(field:expected:actual:)`` naming `field` for another shape or a
    ///   value that is not a whole number in the 32-bit range.
    public init(_ array: NDArray, field: String = "sem_seg") throws {
        let shape: [Int]
        switch array.rank {
        case 2: shape = array.shape
        case 3 where array.shape[0] == 1: shape = Array(array.shape.dropFirst())
        default:
            throw DataSampleError.invalidField(
                field: field, expected: "an H×W (or 1×H×W) array of class indices", actual: "shape \(array.shape)")
        }
        let indices: [Int32]
        switch array.storage {
        case .int32(let values):
            indices = values
        case .uint8, .int8, .int16, .uint16:
            indices = array.converted(to: .int32).values(as: Int32.self) ?? []
        default:
            let values = array.toDouble()
            if let bad = values.first(where: { !($0.rounded() == $0 && abs($0) <= Double(Int32.max)) }) {
                throw DataSampleError.invalidField(
                    field: field, expected: "whole class indices within the 32-bit range", actual: "\(bad)")
            }
            indices = values.map { Int32($0) }
        }
        try self.init(width: shape[1], height: shape[0], classIndices: indices)
    }

    /// The map as an H×W `int32` array.
    public var array: NDArray {
        (try? NDArray(classIndices, shape: [height, width])) ?? NDArray._emptyBool
    }
}

extension NDArray {
    /// A 0-element array, for conversions whose shape is correct by construction.
    static let _emptyBool: NDArray = {
        guard let empty = try? NDArray([Bool](), shape: [0]) else { preconditionFailure("a 0-element array") }
        return empty
    }()
}
