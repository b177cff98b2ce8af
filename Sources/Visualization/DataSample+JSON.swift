import Foundation
import VisCore
import VisDraw

/// The JSON form of a data sample, with MMEngine's field names so that a Python `DataSample` dumps to it directly:
///
/// ```json
/// {
///   "metainfo": {"img_path": "demo.jpg", "img_shape": [800, 1333]},
///   "gt_instances": {"bboxes": [[10, 20, 120, 90]], "labels": [0], "masks": "arrays.npz#gt_masks"},
///   "pred_instances": {"bboxes": [[12, 18, 118, 95]], "labels": [0], "scores": [0.91]},
///   "gt_sem_seg": "seg.npy",
///   "gt_label": [3], "pred_label": [3], "pred_score": [0.01, 0.02, 0.05, 0.92]
/// }
/// ```
///
/// Every numeric field is either nested JSON arrays or the name of an array file: `"file.npy"`, `"file.npz#key"`,
/// or `"file.npz"` holding one array, relative to the JSON file's directory (absolute paths work too). Unknown
/// fields are an error, so a misspelt `pred_instance` does not silently draw nothing. See
/// <doc:CustomTaskVisualizers> for every field and its shape.
extension DataSample: Codable {
    enum _Keys: String, CodingKey, CaseIterable {
        case metainfo
        case gtInstances = "gt_instances", predInstances = "pred_instances"
        case gtSemSeg = "gt_sem_seg", predSemSeg = "pred_sem_seg"
        case gtLabel = "gt_label", predLabel = "pred_label", predScore = "pred_score"
    }

    /// Decodes the JSON form. Array file references resolve against the directory given to
    /// ``init(jsonData:baseDirectory:source:)`` (or the current directory with a plain `JSONDecoder`).
    ///
    /// - Throws: ``DataSampleError`` naming the field for a wrong shape or an unreadable array file; the
    ///   decoder's errors for an unknown key or a value of the wrong kind (`ConfigDecodingError` from a
    ///   `ConfigValueDecoder`).
    public init(from decoder: any Decoder) throws {
        let resolver = decoder.userInfo[._arrayFileResolver] as? _ArrayFileResolver
            ?? _ArrayFileResolver(baseDirectory: nil)
        try decoder.rejectUnknownKeys(_Keys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: _Keys.self)
        self.init()
        if container.contains(.metainfo) {
            metainfo = try container.decode([String: ConfigValue].self, forKey: .metainfo)
        }
        if container.contains(.gtInstances) {
            groundTruth.instances = try InstanceData._decode(
                try container.superDecoder(forKey: .gtInstances), resolver: resolver)
        }
        if container.contains(.predInstances) {
            prediction.instances = try InstanceData._decode(
                try container.superDecoder(forKey: .predInstances), resolver: resolver)
        }
        for (key, side) in [(_Keys.gtSemSeg, AnnotationSide.groundTruth), (.predSemSeg, .prediction)]
        where container.contains(key) {
            let array = try _ArrayField.decode(container, forKey: key, resolver: resolver)
            self[side].semanticSegmentation = try SegmentationMap(array, field: key.rawValue)
        }
        for (key, side) in [(_Keys.gtLabel, AnnotationSide.groundTruth), (.predLabel, .prediction)]
        where container.contains(key) {
            let array = try _ArrayField.decode(container, forKey: key, resolver: resolver)
            self[side].labels = try _ArrayField.integers(array, field: key.rawValue)
        }
        if container.contains(.predScore) {
            let array = try _ArrayField.decode(container, forKey: .predScore, resolver: resolver)
            prediction.scores = try _ArrayField.vector(array, field: _Keys.predScore.rawValue)
        }
    }

    /// Encodes the JSON form with every array inline (masks as nested 0/1 arrays).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: _Keys.self)
        if !metainfo.isEmpty {
            // Sorted, so that the text does not depend on the dictionary's hashing.
            let entries = OrderedDictionary(uniqueKeysWithValues: metainfo.sorted { $0.key < $1.key })
            try container.encode(ConfigValue.dictionary(entries), forKey: .metainfo)
        }
        try groundTruth.instances.map { try $0._encode(to: container.superEncoder(forKey: .gtInstances)) }
        try prediction.instances.map { try $0._encode(to: container.superEncoder(forKey: .predInstances)) }
        for (key, map) in [(_Keys.gtSemSeg, groundTruth.semanticSegmentation), (.predSemSeg, prediction.semanticSegmentation)] {
            guard let map else { continue }
            let rows = (0..<map.height).map { Array(map.classIndices[$0 * map.width..<($0 + 1) * map.width]) }
            try container.encode(rows, forKey: key)
        }
        try container.encodeIfPresent(groundTruth.labels, forKey: .gtLabel)
        try container.encodeIfPresent(prediction.labels, forKey: .predLabel)
        try container.encodeIfPresent(prediction.scores, forKey: .predScore)
        if groundTruth.scores != nil {
            throw EncodingError.invalidValue(
                groundTruth.scores as Any,
                EncodingError.Context(
                    codingPath: container.codingPath,
                    debugDescription: "ground-truth image-level scores have no JSON field (only pred_score)"))
        }
    }

    /// Loads the JSON form from a file; array file references resolve against the file's directory.
    ///
    /// - Throws: ``DataSampleError/unreadableFile(path:reason:)`` when the file cannot be read or is not JSON,
    ///   and the field errors of ``init(from:)``.
    public init(contentsOfJSONFile path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DataSampleError.unreadableFile(path: path, reason: error.localizedDescription)
        }
        try self.init(jsonData: data, baseDirectory: (path as NSString).deletingLastPathComponent, source: path)
    }

    /// Decodes the JSON form from bytes; `source` names them in errors. The text is read with the rules of
    /// `Config` JSON: key order is kept, and `NaN`, `Infinity` and `-Infinity` are numbers (as Python's `json`
    /// writes them).
    ///
    /// - Throws: As ``init(contentsOfJSONFile:)``; a top level that is not a JSON object is
    ///   ``DataSampleError/invalidField(field:expected:actual:)`` for the field `<root>`.
    public init(jsonData: Data, baseDirectory: String? = nil, source: String = "<json>") throws {
        let root: ConfigValue
        do {
            root = try ConfigValue(jsonText: String(decoding: jsonData, as: UTF8.self), source: source)
        } catch VisBackendError.corruptConfig(_, let line, let reason) {
            throw DataSampleError.unreadableFile(
                path: source, reason: "invalid JSON\(line.map { " at line \($0)" } ?? ""): \(reason)")
        }
        guard root.dictionaryValue != nil else {
            throw DataSampleError.invalidField(
                field: "<root>", expected: "a JSON object", actual: root.kindDescription
                    + " (a data sample is an object such as {\"gt_instances\": {...}})")
        }
        let base = baseDirectory.map { $0.isEmpty ? "." : $0 }
        let decoder = ConfigValueDecoder(userInfo: [._arrayFileResolver: _ArrayFileResolver(baseDirectory: base)])
        do {
            self = try decoder.decode(DataSample.self, from: root)
        } catch let error as ConfigDecodingError {
            throw DataSampleError(error, root: "<root>")
        }
    }

    /// The JSON form, arrays inline, written with the rules of `Config` JSON: non-finite numbers as `NaN`,
    /// `Infinity` and `-Infinity` (which ``init(jsonData:baseDirectory:source:)`` and Python's `json` read back),
    /// non-ASCII characters escaped; indented by 4 spaces when `prettyPrinted`.
    public func jsonData(prettyPrinted: Bool = false) throws -> Data {
        let tree = try ConfigValueEncoder().encode(self)
        return Data(tree.jsonText(indent: prettyPrinted ? 4 : nil).utf8)
    }
}

extension DataSampleError {
    /// A config decoding error of a sample or metadata as ``invalidField(field:expected:actual:)``; `root` names
    /// the top level.
    init(_ error: ConfigDecodingError, root: String) {
        let field = error.path.isEmpty ? root : error.keyPath
        switch error.kind {
        case .unknownKey:
            let known = error.expected.hasPrefix("one of ") ? String(error.expected.dropFirst("one of ".count)) : ""
            self = .invalidField(field: field, expected: "one of the fields " + known, actual: "an unknown field")
        case .typeMismatch, .missing, .invalidValue:
            self = .invalidField(field: field, expected: error.expected, actual: error.actual)
        }
    }
}

extension InstanceData {
    enum _Keys: String, CodingKey, CaseIterable {
        case bboxes, labels, scores, masks, polygons, keypoints
        case keypointsVisible = "keypoints_visible", keypointScores = "keypoint_scores"
    }

    static func _decode(_ decoder: any Decoder, resolver: _ArrayFileResolver) throws -> InstanceData {
        let field = ConfigDecodingError.keyPath(of: decoder.codingPath)
        try decoder.rejectUnknownKeys(_Keys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: _Keys.self)
        func path(_ key: _Keys) -> String { "\(field).\(key.rawValue)" }
        func array(_ key: _Keys) throws -> NDArray? {
            container.contains(key) ? try _ArrayField.decode(container, forKey: key, resolver: resolver) : nil
        }
        var instances = InstanceData()
        if let boxes = try array(.bboxes) {
            instances.boxes = try _ArrayField.rows(
                boxes, columns: 4, field: path(.bboxes), expected: "an N×4 array of x1, y1, x2, y2"
            ).map { BoundingBox(x1: $0[0], y1: $0[1], x2: $0[2], y2: $0[3]) }
        }
        if let labels = try array(.labels) { instances.labels = try _ArrayField.integers(labels, field: path(.labels)) }
        if let scores = try array(.scores) { instances.scores = try _ArrayField.vector(scores, field: path(.scores)) }
        if let masks = try array(.masks) {
            // An empty inline list is zero masks of unknown size; the image size check skips it.
            instances.masks = masks.count == 0 && masks.rank == 1
                ? try InstanceMasks(count: 0, height: 0, width: 0, bits: [])
                : try InstanceMasks(masks, field: path(.masks))
        }
        if container.contains(.polygons) {
            let nested = try container.decode([[[Double]]].self, forKey: .polygons)
            instances.polygons = try nested.enumerated().map { instance, polygons in
                try polygons.enumerated().map { part, flat in
                    guard flat.count % 2 == 0, flat.count >= 6 else {
                        throw DataSampleError.invalidField(
                            field: "\(path(.polygons))[\(instance)][\(part)]",
                            expected: "at least 3 points as a flat list x0, y0, x1, y1, ... (an even count ≥ 6)",
                            actual: "\(flat.count) numbers")
                    }
                    return stride(from: 0, to: flat.count, by: 2).map { Point(x: flat[$0], y: flat[$0 + 1]) }
                }
            }
        }
        if let keypoints = try array(.keypoints) {
            guard keypoints.count == 0 || (keypoints.rank == 3 && keypoints.shape[2] == 2) else {
                throw DataSampleError.invalidField(
                    field: path(.keypoints), expected: "an N×K×2 array of keypoint x, y",
                    actual: "shape \(keypoints.shape)")
            }
            let flat = keypoints.toDouble()
            let perInstance = keypoints.rank == 3 ? keypoints.shape[1] : 0
            instances.keypoints = (0..<(keypoints.rank == 3 ? keypoints.shape[0] : 0)).map { instance in
                (0..<perInstance).map { point in
                    let offset = (instance * perInstance + point) * 2
                    return Point(x: flat[offset], y: flat[offset + 1])
                }
            }
        }
        if let visible = try array(.keypointsVisible) {
            instances.keypointsVisible = try _ArrayField.rows(
                visible, columns: nil, field: path(.keypointsVisible), expected: "an N×K array")
        }
        if let scores = try array(.keypointScores) {
            instances.keypointScores = try _ArrayField.rows(
                scores, columns: nil, field: path(.keypointScores), expected: "an N×K array")
        }
        return instances
    }

    func _encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: _Keys.self)
        try container.encodeIfPresent(boxes?.map { [$0.x1, $0.y1, $0.x2, $0.y2] }, forKey: .bboxes)
        try container.encodeIfPresent(labels, forKey: .labels)
        try container.encodeIfPresent(scores, forKey: .scores)
        if let masks {
            let nested = (0..<masks.count).map { index in
                let mask = Array(masks.mask(at: index))
                return (0..<masks.height).map { row in
                    mask[row * masks.width..<(row + 1) * masks.width].map { $0 ? 1 : 0 }
                }
            }
            try container.encode(nested, forKey: .masks)
        }
        try container.encodeIfPresent(
            polygons?.map { $0.map { $0.flatMap { [$0.x, $0.y] } } }, forKey: .polygons)
        try container.encodeIfPresent(keypoints?.map { $0.map { [$0.x, $0.y] } }, forKey: .keypoints)
        try container.encodeIfPresent(keypointsVisible, forKey: .keypointsVisible)
        try container.encodeIfPresent(keypointScores, forKey: .keypointScores)
    }
}
