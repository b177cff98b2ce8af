import Foundation

/// A run that cannot be read, a key it does not have, or an argument out of range.
public enum CurvesError: Error, Sendable, Equatable, LocalizedError, CustomStringConvertible {
    /// Nothing at `path` is a run of a kind we read.
    case noRuns(path: String, reason: String)
    /// Reading `path` failed.
    case io(path: String, reason: String)
    /// The log at `path` is damaged; `line` is the 1-based line of a JSON-lines log.
    case corruptLog(path: String, line: Int?, reason: String)
    /// The run has no scalars called `key`; `available` are the keys it has.
    case missingKey(run: String, key: String, available: [String])
    /// An argument is outside its allowed form or range.
    case invalidArgument(argument: String, expected: String, actual: String)

    public var description: String {
        switch self {
        case .noRuns(let path, let reason):
            return "no run found at \(path): \(reason) (expected a LocalVisBackend scalars.json or vis_data folder, "
                + "an MMEngine runner log vis_data/<timestamp>.json, a TensorBoard log directory, or a W&B "
                + "offline-run-* directory)"
        case .io(let path, let reason):
            return "I/O error on \(path): \(reason)"
        case .corruptLog(let path, let line, let reason):
            return "corrupt log \(path)\(line.map { " line \($0)" } ?? ""): \(reason)"
        case .missingKey(let run, let key, let available):
            guard !available.isEmpty else { return "run \(run) has no key \(key): it has no scalars at all" }
            return "run \(run) has no key \(key); its keys are: \(available.joined(separator: ", "))"
        case .invalidArgument(let argument, let expected, let actual):
            return "\(argument) must be \(expected), got \(actual)"
        }
    }

    public var errorDescription: String? { description }
}
