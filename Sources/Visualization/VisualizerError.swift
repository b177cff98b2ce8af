import Foundation

/// Errors of ``Visualizer`` construction and use. Each case names the argument, key or variable at fault and the
/// expected form.
public enum VisualizerError: Error, Sendable, Equatable {
    /// An argument had the wrong value or form.
    case invalidArgument(argument: String, expected: String, actual: String)
    /// A visualizer config key was missing or had the wrong type.
    case configValue(key: String, expected: String, actual: String)
    /// ``Visualizer/getImage()`` before ``Visualizer/setImage(_:)``.
    case noImage(visualizer: String)
    /// A rank variable of the environment (`RANK`, `LOCAL_RANK`, `WORLD_SIZE`, `SLURM_PROCID`) is malformed.
    case invalidEnvironment(variable: String, expected: String, actual: String)
    /// The visualizer registry has no entry under this type name.
    case unknownType(type: String, known: [String])
}

extension VisualizerError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .invalidArgument(argument, expected, actual):
            return "invalid argument `\(argument)`: expected \(expected), got \(actual)"
        case let .configValue(key, expected, actual):
            return "visualizer config key `\(key)`: expected \(expected), got \(actual)"
        case let .noImage(visualizer):
            return "visualizer \(visualizer): no image set: call setImage(_:) first"
        case let .invalidEnvironment(variable, expected, actual):
            return "environment variable \(variable): expected \(expected), got \(actual.debugDescription)"
        case let .unknownType(type, known):
            return "VisualizerRegistry has no type `\(type)`; registered: \(known.joined(separator: ", "))"
        }
    }
}

/// `localizedDescription` is the ``description``, not Foundation's generic "The operation could not be completed".
extension VisualizerError: LocalizedError {
    public var errorDescription: String? { description }
}
