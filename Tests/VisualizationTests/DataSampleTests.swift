import Foundation
import Testing
import VisTestSupport
@testable import Visualization

@Suite("DataSample JSON form")
struct DataSampleJSONTests {
    static func decode(_ json: String, baseDirectory: String? = nil) throws -> DataSample {
        try DataSample(jsonData: Data(json.utf8), baseDirectory: baseDirectory)
    }

    static func error(_ json: String, baseDirectory: String? = nil) -> DataSampleError? {
        do {
            _ = try decode(json, baseDirectory: baseDirectory)
            return nil
        } catch let error as DataSampleError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    @Test("inline arrays decode into every field, with MMEngine's names")
    func inlineFields() throws {
        let sample = try Self.decode(
            """
            {"metainfo": {"img_path": "demo.jpg", "img_shape": [4, 6, 3], "scale": 1.5},
             "gt_instances": {"bboxes": [[0, 1, 2, 3]], "labels": [1],
                              "masks": [[[0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1]]],
                              "polygons": [[[0, 0, 4, 0, 4, 3]]]},
             "pred_instances": {"bboxes": [[0.5, 1.5, 2.5, 3.5], [1, 1, 2, 2]], "labels": [0, 1], "scores": [0.9, 0.2],
                                "keypoints": [[[1, 2], [3, 4]], [[0, 0], [5, 3]]],
                                "keypoints_visible": [[1, 0], [1, 1]], "keypoint_scores": [[0.9, 0.1], [0.5, 0.6]]},
             "gt_sem_seg": [[0, 0, 1, 1, 2, 255], [0, 0, 1, 1, 2, 255], [0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1]],
             "gt_label": 2, "pred_label": [2, 0], "pred_score": [0.1, 0.2, 0.7]}
            """)
        #expect(sample.imagePath == "demo.jpg")
        #expect(sample.imageShape?.height == 4 && sample.imageShape?.width == 6)
        #expect(sample.metainfo["scale"] == .double(1.5))
        let gt = try #require(sample.groundTruth.instances)
        #expect(gt.boxes == [BoundingBox(x1: 0, y1: 1, x2: 2, y2: 3)])
        #expect(gt.labels == [1])
        let masks = try #require(gt.masks)
        #expect(masks.count == 1 && masks.height == 4 && masks.width == 6)
        #expect(masks.area(at: 0) == 7)
        #expect(masks.bits[1] && !masks.bits[0])
        #expect(gt.polygons == [[[Point(0, 0), Point(4, 0), Point(4, 3)]]])
        let pred = try #require(sample.prediction.instances)
        #expect(pred.count == 2)
        #expect(pred.scores == [0.9, 0.2])
        #expect(pred.keypoints == [[Point(1, 2), Point(3, 4)], [Point(0, 0), Point(5, 3)]])
        #expect(pred.keypointsVisible == [[1, 0], [1, 1]])
        #expect(pred.keypointScores == [[0.9, 0.1], [0.5, 0.6]])
        let map = try #require(sample.groundTruth.semanticSegmentation)
        #expect(map.width == 6 && map.height == 4 && map.classIndices[5] == 255)
        #expect(sample.groundTruth.labels == [2])
        #expect(sample.prediction.labels == [2, 0])
        #expect(sample.prediction.scores == [0.1, 0.2, 0.7])
    }

    @Test("encoding and decoding again gives the same sample")
    func roundTrip() throws {
        var sample = DataSample(metainfo: ["img_path": "a.png", "img_shape": [2, 3]])
        sample.groundTruth.instances = InstanceData(
            boxes: [BoundingBox(x1: 0, y1: 0, x2: 1, y2: 1)], labels: [0],
            masks: try InstanceMasks(count: 1, height: 2, width: 3, bits: [true, false, true, false, false, true]),
            polygons: [[[Point(0, 0), Point(2, 0), Point(2, 1)]]])
        sample.prediction.instances = InstanceData(
            boxes: [BoundingBox(x1: 0.25, y1: 0, x2: 1, y2: 1.5)], labels: [0], scores: [0.75],
            keypoints: [[Point(1, 1)]], keypointsVisible: [[1]], keypointScores: [[0.5]])
        sample.prediction.semanticSegmentation = try SegmentationMap(width: 3, height: 2, classIndices: [0, 1, 2, 3, 4, 255])
        sample.groundTruth.labels = [1]
        sample.prediction.labels = [1]
        sample.prediction.scores = [0.25, 0.75]
        let data = try sample.jsonData(prettyPrinted: true)
        #expect(try DataSample(jsonData: data) == sample)
    }

    @Test("array file references load .npy, .npz#key and single-array .npz relative to the JSON file")
    func arrayFiles() throws {
        let directory = try TestSupport.makeTemporaryDirectory("datasample-files")
        defer { try? FileManager.default.removeItem(at: directory) }
        let masks = try NDArray([Bool](repeating: false, count: 2 * 3 * 4).enumerated().map { $0.offset % 5 == 0 }, shape: [2, 3, 4])
        let boxes = try NDArray([[0, 0, 2, 2], [1, 1, 3, 2]])
        try NDArray.writeNPZ(["gt_masks": masks, "boxes": boxes], to: directory.appendingPathComponent("arrays.npz").path)
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let seg = try NDArray([UInt8](repeating: 1, count: 12), shape: [3, 4])
        try seg.writeNPY(to: directory.appendingPathComponent("sub/seg.npy").path)
        let labels = try NDArray([Int64(0), 1], shape: [2])
        try NDArray.writeNPZ(["labels": labels], to: directory.appendingPathComponent("labels.npz").path)
        let json = """
            {"gt_instances": {"bboxes": "arrays.npz#boxes", "labels": "labels.npz", "masks": "arrays.npz#gt_masks"},
             "gt_sem_seg": "sub/seg.npy"}
            """
        let path = directory.appendingPathComponent("sample.json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        let sample = try DataSample(contentsOfJSONFile: path)
        let gt = try #require(sample.groundTruth.instances)
        #expect(gt.boxes?.count == 2 && gt.boxes?[1] == BoundingBox(x1: 1, y1: 1, x2: 3, y2: 2))
        #expect(gt.labels == [0, 1])
        #expect(gt.masks == (try InstanceMasks(masks)))
        #expect(sample.groundTruth.semanticSegmentation?.classIndices == [Int32](repeating: 1, count: 12))
        try sample.validate(imageWidth: 4, imageHeight: 3, meta: DatasetMeta(classes: ["a", "b"]))

        let missing = Self.error(#"{"gt_sem_seg": "nope.npy"}"#, baseDirectory: directory.path)
        guard case .arrayFile(let field, let filePath, _)? = missing else {
            Issue.record("expected an arrayFile error, got \(String(describing: missing))")
            return
        }
        #expect(field == "gt_sem_seg" && filePath.hasSuffix("/nope.npy"))
        let ambiguous = Self.error(#"{"gt_instances": {"masks": "arrays.npz"}}"#, baseDirectory: directory.path)
        #expect(ambiguous?.description.contains("name one as `arrays.npz#key`") == true)
        let wrongKey = Self.error(#"{"gt_instances": {"masks": "arrays.npz#nope"}}"#, baseDirectory: directory.path)
        #expect(wrongKey?.description.contains("no array `nope`; it holds boxes, gt_masks") == true)
        let badExtension = Self.error(#"{"gt_label": "labels.txt"}"#, baseDirectory: directory.path)
        #expect(badExtension?.description.contains("expected a .npy file") == true)
    }

    @Test("malformed JSON is an error naming the field")
    func malformed() throws {
        #expect(Self.error(#"{"pred_instance": {}}"#) == .invalidField(
            field: "pred_instance",
            expected: "one of the fields metainfo, gt_instances, pred_instances, gt_sem_seg, pred_sem_seg, gt_label, pred_label, pred_score",
            actual: "an unknown field"))
        #expect(Self.error(#"{"gt_instances": {"boxes": []}}"#)?.description.contains("`gt_instances.boxes`") == true)
        #expect(Self.error(#"{"gt_instances": {"bboxes": [[1, 2, 3]]}}"#) == .invalidField(
            field: "gt_instances.bboxes", expected: "an N×4 array of x1, y1, x2, y2", actual: "shape [1, 3]"))
        #expect(Self.error(#"{"gt_instances": {"bboxes": [[1, 2, 3, 4], [1, 2]]}}"#) == .invalidField(
            field: "gt_instances.bboxes", expected: "a rectangular array (all rows of one length)", actual: "ragged rows"))
        #expect(Self.error(#"{"gt_instances": {"labels": [1.5]}}"#) == .invalidField(
            field: "gt_instances.labels[0]", expected: "a whole number", actual: "1.5"))
        #expect(Self.error(#"{"gt_instances": {"labels": [{"a": 1}]}}"#)?.description.contains("nested arrays of numbers") == true)
        // Masks follow the one mask rule (non-zero is inside): 0/255 reads like 0/1.
        let sample = try Self.decode(#"{"gt_instances": {"masks": [[[0, 255, 2, 0.5]]]}}"#)
        #expect(sample.groundTruth.instances?.masks?.bits == [false, true, true, true])
        #expect(Self.error(#"{"gt_instances": {"polygons": [[[0, 0, 1, 1]]]}}"#)?.description.contains(
            "gt_instances.polygons[0][0]") == true)
        #expect(Self.error(#"{"gt_instances": {"keypoints": [[1, 2]]}}"#) == .invalidField(
            field: "gt_instances.keypoints", expected: "an N×K×2 array of keypoint x, y", actual: "shape [1, 2]"))
        #expect(Self.error(#"{"gt_sem_seg": [[[1, 2], [3, 4]], [[1, 2], [3, 4]]]}"#) == .invalidField(
            field: "gt_sem_seg", expected: "an H×W (or 1×H×W) array of class indices", actual: "shape [2, 2, 2]"))
        guard case .invalidField(let field, let expected, _)? = Self.error("[1, 2]") else {
            Issue.record("a JSON array is not a sample")
            return
        }
        #expect(field == "<root>" && expected == "a JSON object")
        guard case .unreadableFile(let path, _)? = Self.error("{") else {
            Issue.record("truncated JSON is unreadable")
            return
        }
        #expect(path == "<json>")
        let missingFile = "/nonexistent/sample.json"
        #expect(throws: DataSampleError.self) { try DataSample(contentsOfJSONFile: missingFile) }
    }

    @Test("NaN written as a string decodes, and is then rejected by validation")
    func nanBoxes() throws {
        let sample = try Self.decode(#"{"pred_instances": {"bboxes": [[0, 0, "NaN", 4]], "labels": [0], "scores": [0.9]}}"#)
        #expect(sample.prediction.instances?.boxes?[0].x2.isNaN == true)
        let error = #expect(throws: DataSampleError.self) {
            try sample.validate(imageWidth: 10, imageHeight: 10, meta: DatasetMeta())
        }
        guard case .nonFiniteValue(let field, let value)? = error else {
            Issue.record("expected a nonFiniteValue error, got \(String(describing: error))")
            return
        }
        #expect(field == "pred_instances.bboxes[0]" && value.isNaN)
    }
}

@Suite("DataSample validation")
struct DataSampleValidationTests {
    static func detection(_ instances: InstanceData, side: AnnotationSide = .prediction) -> DataSample {
        var sample = DataSample()
        sample[side].instances = instances
        return sample
    }

    static func validationError(_ sample: DataSample, width: Int = 8, height: Int = 6, meta: DatasetMeta) -> DataSampleError? {
        do {
            try sample.validate(imageWidth: width, imageHeight: height, meta: meta)
            return nil
        } catch let error as DataSampleError {
            return error
        } catch {
            return nil
        }
    }

    let meta = DatasetMeta(classes: ["cat", "dog"])

    @Test("labels outside the class list are an error naming the instance")
    func labelsOutOfRange() {
        let sample = Self.detection(InstanceData(boxes: [.init(x1: 0, y1: 0, x2: 1, y2: 1), .init(x1: 0, y1: 0, x2: 1, y2: 1)], labels: [1, 2]))
        let error = Self.validationError(sample, meta: meta)
        #expect(error == .labelOutOfRange(field: "pred_instances.labels[1]", label: 2, classCount: 2))
        #expect(error?.description == "data sample field `pred_instances.labels[1]`: expected a class index in 0..<2, got 2")
        // Without a class list any non-negative label is fine (shown as "class N"), negative ones are not.
        #expect(Self.validationError(sample, meta: DatasetMeta()) == nil)
        var negative = sample
        negative.prediction.instances?.labels = [0, -1]
        #expect(Self.validationError(negative, meta: DatasetMeta()) == .labelOutOfRange(
            field: "pred_instances.labels[1]", label: -1, classCount: 0))
        var image = DataSample()
        image.groundTruth.labels = [5]
        #expect(Self.validationError(image, meta: meta) == .labelOutOfRange(field: "gt_label[0]", label: 5, classCount: 2))
    }

    @Test("masks and segmentation maps must have the image's size")
    func sizeMismatch() throws {
        let masks = try InstanceMasks(count: 1, height: 5, width: 8, bits: [Bool](repeating: true, count: 40))
        let error = Self.validationError(Self.detection(InstanceData(labels: [0], masks: masks), side: .groundTruth), meta: meta)
        #expect(error == .sizeMismatch(field: "gt_instances.masks", width: 8, height: 5, imageWidth: 8, imageHeight: 6))
        // Sizes are reported H×W, as drawBinaryMasks reports them.
        #expect(error?.description.contains("expected the image's size 6×8 (H×W), got 5×8") == true)
        var seg = DataSample()
        seg.prediction.semanticSegmentation = try SegmentationMap(width: 6, height: 8, classIndices: [Int32](repeating: 0, count: 48))
        #expect(Self.validationError(seg, meta: meta) == .sizeMismatch(
            field: "pred_sem_seg", width: 6, height: 8, imageWidth: 8, imageHeight: 6))
    }

    @Test("NaN and inverted boxes, NaN scores and count mismatches are errors")
    func badNumbers() {
        let nanBox = Self.detection(InstanceData(boxes: [.init(x1: .nan, y1: 0, x2: 1, y2: 1)], labels: [0]))
        #expect(Self.validationError(nanBox, meta: meta)?.description
            == "data sample field `pred_instances.bboxes[0]`: expected a finite number, got nan")
        let inverted = Self.detection(InstanceData(boxes: [.init(x1: 5, y1: 0, x2: 1, y2: 1)], labels: [0]))
        #expect(Self.validationError(inverted, meta: meta) == .invalidField(
            field: "pred_instances.bboxes[0]", expected: "x1 ≤ x2 and y1 ≤ y2", actual: "[5.0, 0.0, 1.0, 1.0]"))
        let nanScore = Self.detection(InstanceData(boxes: [.init(x1: 0, y1: 0, x2: 1, y2: 1)], labels: [0], scores: [.infinity]))
        #expect(Self.validationError(nanScore, meta: meta) == .nonFiniteValue(field: "pred_instances.scores[0]", value: .infinity))
        let short = Self.detection(InstanceData(boxes: [.init(x1: 0, y1: 0, x2: 1, y2: 1)], labels: [0, 1]))
        #expect(Self.validationError(short, meta: meta) == .countMismatch(field: "pred_instances.labels", expected: 1, actual: 2))
        var scores = DataSample()
        scores.prediction.scores = [0.5, 0.25, 0.25]
        #expect(Self.validationError(scores, meta: meta) == .countMismatch(field: "pred_score", expected: 2, actual: 3))
    }

    @Test("keypoints agree with each other and with the dataset's keypoint names")
    func keypoints() {
        let pose = DatasetMeta(keypointNames: ["a", "b"], skeletonLinks: [SkeletonLink(0, 1)])
        let ragged = Self.detection(InstanceData(keypoints: [[Point(0, 0), Point(1, 1)], [Point(0, 0)]]))
        #expect(Self.validationError(ragged, meta: DatasetMeta()) == .countMismatch(
            field: "pred_instances.keypoints[1]", expected: 2, actual: 1))
        let three = Self.detection(InstanceData(keypoints: [[Point(0, 0), Point(1, 1), Point(2, 2)]]))
        #expect(Self.validationError(three, meta: pose)?.description.contains("2 keypoints per instance") == true)
        let scores = Self.detection(InstanceData(keypoints: [[Point(0, 0), Point(1, 1)]], keypointScores: [[0.5]]))
        #expect(Self.validationError(scores, meta: pose) == .countMismatch(
            field: "pred_instances.keypoint_scores[0]", expected: 2, actual: 1))
        #expect(Self.validationError(Self.detection(InstanceData(keypoints: [[Point(0, 0), Point(1, 1)]])), meta: pose) == nil)
    }

    @Test("empty instance sets and out-of-class segmentation values are valid (drawn as nothing)")
    func documentedSkips() throws {
        var sample = DataSample()
        sample.groundTruth.instances = InstanceData(boxes: [], labels: [])
        sample.prediction.semanticSegmentation = try SegmentationMap(width: 8, height: 6, classIndices: [Int32](repeating: 255, count: 48))
        #expect(Self.validationError(sample, meta: meta) == nil)
        #expect(!sample.groundTruth.isEmpty)
        #expect(DataSample().groundTruth.isEmpty)
    }

    @Test("score filtering keeps scores above the threshold, and every field with them")
    func filtering() throws {
        let masks = try InstanceMasks(count: 3, height: 1, width: 2, bits: [true, false, false, true, true, true])
        let instances = InstanceData(
            boxes: [.init(x1: 0, y1: 0, x2: 1, y2: 1), .init(x1: 1, y1: 1, x2: 2, y2: 2), .init(x1: 2, y1: 2, x2: 3, y2: 3)],
            labels: [0, 1, 0], scores: [0.9, 0.3, 0.31], masks: masks)
        let kept = instances.filtered(scoreAbove: 0.3)
        #expect(kept.labels == [0, 0])
        #expect(kept.scores == [0.9, 0.31])
        #expect(kept.boxes?.map(\.x1) == [0, 2])
        #expect(kept.masks?.bits == [true, false, true, true])
        #expect(InstanceData(labels: [1, 2]).filtered(scoreAbove: 0.5).labels == [1, 2])
    }
}
