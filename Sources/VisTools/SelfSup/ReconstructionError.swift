import Foundation

/// Why reconstruction panels could not be made: each case names the input at fault and the form expected.
public enum ReconstructionError: Error, Equatable, Sendable, LocalizedError {
    /// The prediction's shape fits neither MAE patches nor an image of the input size.
    case predictionShape(shape: [Int], expected: String)
    /// The mask's shape does not fit the patch grid or the image.
    case maskShape(shape: [Int], expected: String)
    /// A parameter (`patchSize`, `inputSize`, `maskRatio`) is out of range.
    case invalidArgument(argument: String, expected: String, actual: String)

    public var errorDescription: String? {
        switch self {
        case let .predictionShape(shape, expected):
            return "prediction of shape \(Self.describe(shape)) does not fit: expected \(expected)"
        case let .maskShape(shape, expected):
            return "mask of shape \(Self.describe(shape)) does not fit: expected \(expected)"
        case let .invalidArgument(argument, expected, actual):
            return "invalid \(argument): expected \(expected), got \(actual)"
        }
    }

    static func describe(_ shape: [Int]) -> String { "(" + shape.map(String.init).joined(separator: ", ") + ")" }
}
