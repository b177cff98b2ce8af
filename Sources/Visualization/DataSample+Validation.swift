import VisCore
import VisDraw

/// Checks run before drawing, so that bad data fails with a message naming the field instead of drawing garbage.
///
/// What is an error and what is skipped:
/// - **Errors**: fields of one instance set with different lengths; NaN or infinite boxes, scores, polygon points
///   or keypoints; boxes with x2 < x1 or y2 < y1; instance or image labels outside the class list (negative
///   labels when the metadata has no classes); masks or segmentation maps of another size than the image;
///   instances with different keypoint counts, or a count other than ``DatasetMeta/keypointNames``'s; image-level
///   scores whose count is not the number of classes.
/// - **Skips** (documented behaviour, not errors): segmentation map values that are not a class index (negative, or
///   the ignore index 255 beyond the classes) stay undrawn, as in MMSegmentation; boxes partly outside the image
///   are clipped.
extension DataSample {
    /// Checks both sides against an image of `imageWidth`×`imageHeight` and the dataset metadata.
    ///
    /// - Throws: ``DataSampleError`` naming the first field at fault (`gt_instances.labels[2]`).
    public func validate(imageWidth: Int, imageHeight: Int, meta: DatasetMeta) throws {
        for side in AnnotationSide.allCases {
            try self[side].validate(side: side, imageWidth: imageWidth, imageHeight: imageHeight, meta: meta)
        }
    }
}

extension DataSample.Annotations {
    /// Checks one side; `side` only names the fields in errors (`gt_…` or `pred_…`).
    ///
    /// - Throws: ``DataSampleError`` naming the first field at fault.
    public func validate(side: AnnotationSide, imageWidth: Int, imageHeight: Int, meta: DatasetMeta) throws {
        try instances?.validate(
            field: "\(side)_instances", imageWidth: imageWidth, imageHeight: imageHeight, meta: meta)
        if let map = semanticSegmentation, map.width != imageWidth || map.height != imageHeight {
            throw DataSampleError.sizeMismatch(
                field: "\(side)_sem_seg", width: map.width, height: map.height, imageWidth: imageWidth,
                imageHeight: imageHeight)
        }
        if let labels {
            try _checkLabels(labels, field: "\(side)_label", classCount: meta.classes.count)
        }
        if let scores {
            let field = side == .prediction ? "pred_score" : "gt_score"
            if !meta.classes.isEmpty, scores.count != meta.classes.count {
                throw DataSampleError.countMismatch(field: field, expected: meta.classes.count, actual: scores.count)
            }
            try _checkFinite(scores, field: field)
        }
    }
}

extension InstanceData {
    /// Checks the instances against the image size and metadata; `field` prefixes the names in errors.
    ///
    /// - Throws: ``DataSampleError`` naming the first field at fault.
    public func validate(field: String, imageWidth: Int, imageHeight: Int, meta: DatasetMeta) throws {
        let count = self.count
        func checkCount(_ key: String, _ actual: Int?) throws {
            if let actual, actual != count {
                throw DataSampleError.countMismatch(field: "\(field).\(key)", expected: count, actual: actual)
            }
        }
        try checkCount("bboxes", boxes?.count)
        try checkCount("labels", labels?.count)
        try checkCount("scores", scores?.count)
        try checkCount("masks", masks?.count)
        try checkCount("polygons", polygons?.count)
        try checkCount("keypoints", keypoints?.count)
        try checkCount("keypoints_visible", keypointsVisible?.count)
        try checkCount("keypoint_scores", keypointScores?.count)

        for (index, box) in (boxes ?? []).enumerated() {
            let name = "\(field).bboxes[\(index)]"
            for value in [box.x1, box.y1, box.x2, box.y2] where !value.isFinite {
                throw DataSampleError.nonFiniteValue(field: name, value: value)
            }
            guard box.x1 <= box.x2, box.y1 <= box.y2 else {
                throw DataSampleError.invalidField(
                    field: name, expected: "x1 ≤ x2 and y1 ≤ y2",
                    actual: "[\(box.x1), \(box.y1), \(box.x2), \(box.y2)]")
            }
        }
        if let labels { try _checkLabels(labels, field: "\(field).labels", classCount: meta.classes.count) }
        if let scores { try _checkFinite(scores, field: "\(field).scores") }
        if let masks, masks.count > 0, masks.width != imageWidth || masks.height != imageHeight {
            throw DataSampleError.sizeMismatch(
                field: "\(field).masks", width: masks.width, height: masks.height, imageWidth: imageWidth,
                imageHeight: imageHeight)
        }
        for (instance, parts) in (polygons ?? []).enumerated() {
            for (part, points) in parts.enumerated() {
                if let bad = points.first(where: { !$0.isFinite }) {
                    throw DataSampleError.nonFiniteValue(
                        field: "\(field).polygons[\(instance)][\(part)]", value: bad.x.isFinite ? bad.y : bad.x)
                }
            }
        }
        try _validateKeypoints(field: field, meta: meta)
    }

    private func _validateKeypoints(field: String, meta: DatasetMeta) throws {
        guard let keypoints, let first = keypoints.first else { return }
        let perInstance = first.count
        if !meta.keypointNames.isEmpty, perInstance != meta.keypointNames.count {
            throw DataSampleError.invalidField(
                field: "\(field).keypoints",
                expected: "\(meta.keypointNames.count) keypoints per instance (the dataset's keypoint_names)",
                actual: "\(perInstance)")
        }
        for (instance, points) in keypoints.enumerated() {
            guard points.count == perInstance else {
                throw DataSampleError.countMismatch(
                    field: "\(field).keypoints[\(instance)]", expected: perInstance, actual: points.count)
            }
            if let bad = points.first(where: { !$0.isFinite }) {
                throw DataSampleError.nonFiniteValue(
                    field: "\(field).keypoints[\(instance)]", value: bad.x.isFinite ? bad.y : bad.x)
            }
        }
        for (key, rows) in [("keypoints_visible", keypointsVisible), ("keypoint_scores", keypointScores)] {
            for (instance, row) in (rows ?? []).enumerated() {
                guard row.count == perInstance else {
                    throw DataSampleError.countMismatch(
                        field: "\(field).\(key)[\(instance)]", expected: perInstance, actual: row.count)
                }
                try _checkFinite(row, field: "\(field).\(key)[\(instance)]")
            }
        }
    }
}

/// Throws ``DataSampleError/labelOutOfRange(field:label:classCount:)`` for the first label outside
/// `0..<classCount` (or below 0 when `classCount` is 0, meaning "no class list").
func _checkLabels(_ labels: [Int], field: String, classCount: Int) throws {
    for (index, label) in labels.enumerated() where label < 0 || (classCount > 0 && label >= classCount) {
        throw DataSampleError.labelOutOfRange(field: "\(field)[\(index)]", label: label, classCount: classCount)
    }
}

/// Throws ``DataSampleError/nonFiniteValue(field:value:)`` for the first NaN or infinity.
func _checkFinite(_ values: [Double], field: String) throws {
    if let index = values.firstIndex(where: { !$0.isFinite }) {
        throw DataSampleError.nonFiniteValue(field: "\(field)[\(index)]", value: values[index])
    }
}
