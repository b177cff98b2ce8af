import Foundation

/// Errors of data samples and dataset metadata: bad JSON, arrays of the wrong shape, labels outside the class list,
/// masks that do not fit the image. Each case names the field at fault (a JSON path such as
/// `pred_instances.bboxes[3]`) and the expected form.
public enum DataSampleError: Error, Sendable, Equatable {
    /// A field has the wrong type, shape or value.
    case invalidField(field: String, expected: String, actual: String)
    /// Two fields of one instance set disagree on the number of instances.
    case countMismatch(field: String, expected: Int, actual: Int)
    /// A class label is negative or not below the number of classes of the dataset metadata.
    case labelOutOfRange(field: String, label: Int, classCount: Int)
    /// A box, score or keypoint coordinate is NaN or infinite.
    case nonFiniteValue(field: String, value: Double)
    /// A mask or segmentation map does not have the image's size.
    case sizeMismatch(field: String, width: Int, height: Int, imageWidth: Int, imageHeight: Int)
    /// Neither the ground truth nor the prediction asked for holds anything `task` (a task visualizer's name)
    /// draws.
    case emptySample(task: String, drawGT: Bool, drawPred: Bool)
    /// An array file referenced from a sample could not be read or lacks the array.
    case arrayFile(field: String, path: String, reason: String)
    /// A JSON or config file could not be read or parsed.
    case unreadableFile(path: String, reason: String)
}

extension DataSampleError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .invalidField(field, expected, actual):
            return "data sample field `\(field)`: expected \(expected), got \(actual)"
        case let .countMismatch(field, expected, actual):
            return "data sample field `\(field)`: expected \(expected) entries (one per instance), got \(actual)"
        case let .labelOutOfRange(field, label, classCount):
            let range = classCount > 0 ? "a class index in 0..<\(classCount)" : "a non-negative class index"
            return "data sample field `\(field)`: expected \(range), got \(label)"
        case let .nonFiniteValue(field, value):
            return "data sample field `\(field)`: expected a finite number, got \(value)"
        case let .sizeMismatch(field, width, height, imageWidth, imageHeight):
            return "data sample field `\(field)`: expected the image's size \(imageHeight)×\(imageWidth) (H×W), "
                + "got \(height)×\(width)"
        case let .emptySample(task, drawGT, drawPred):
            var asked: [String] = []
            if drawGT { asked.append("ground truth (gt_instances, gt_sem_seg, gt_label)") }
            if drawPred { asked.append("predictions (pred_instances, pred_sem_seg, pred_label, pred_score)") }
            return asked.isEmpty
                ? "nothing to draw: both drawGT and drawPred are false"
                : "nothing to draw: the data sample has no \(asked.joined(separator: " and no ")) that \(task) draws"
        case let .arrayFile(field, path, reason):
            return "data sample field `\(field)`: cannot load array file \(path): \(reason)"
        case let .unreadableFile(path, reason):
            return "cannot read \(path): \(reason)"
        }
    }
}

extension DataSampleError: CustomDebugStringConvertible {
    public var debugDescription: String { description }
}

/// `localizedDescription` is the ``description``, not Foundation's generic "The operation could not be completed".
extension DataSampleError: LocalizedError {
    public var errorDescription: String? { description }
}
