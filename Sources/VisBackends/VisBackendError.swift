import Foundation

/// Errors of storage backends, configs and the backend registry. Each case names the argument, file or backend
/// at fault and, where it helps, the accepted form.
public enum VisBackendError: Error, Sendable, Equatable {
    /// An argument had the wrong value or form.
    case invalidArgument(argument: String, expected: String, actual: String)
    /// A name (an image name, a scalar file path) would put a file outside the backend's save directory.
    case pathEscapesSaveDir(argument: String, path: String)
    /// An `add*` call reached a backend after its `close()`.
    case closed(backend: String)
    /// Reading or writing a file failed (`reason` is the system's message).
    case io(path: String, reason: String)
    /// A config file or text could not be parsed. `line` is 1-based when known.
    case corruptConfig(source: String, line: Int?, reason: String)
    /// A dotted key or an element of a config had the wrong type or was missing.
    case configValue(key: String, expected: String, actual: String)
    /// Two backends of one visualizer or multiplexer have the same name.
    case duplicateBackendName(String)
    /// A backend type that writes files was built without a save directory (MMEngine's skip rule: a visualizer
    /// drops it with a warning).
    case missingSaveDir(type: String)
    /// A registry has no entry under this type name.
    case unknownType(registry: String, type: String, known: [String])
    /// Encoding an image failed (`reason` is the codec's message).
    case encodingFailed(name: String, reason: String)
    /// Some backends of a ``MultiplexVisBackend`` failed; the others stored the data.
    case backendsFailed([BackendFailure])
}

/// One backend's failure inside a ``MultiplexVisBackend`` call.
public struct BackendFailure: Sendable, Equatable, CustomStringConvertible {
    /// The backend's name in the multiplexer.
    public var backend: String
    /// The operation that failed (`addScalar`).
    public var operation: String
    /// The error's description (errors from custom backends are not `Equatable`, so the text is kept).
    public var message: String
    /// The error itself when it was a ``VisBackendError``.
    public var error: VisBackendError?

    /// Creates a failure record.
    public init(backend: String, operation: String, error: any Error) {
        self.backend = backend
        self.operation = operation
        self.message = String(describing: error)
        self.error = error as? VisBackendError
    }

    public var description: String { "\(backend).\(operation): \(message)" }
}

extension VisBackendError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .invalidArgument(argument, expected, actual):
            return "invalid argument `\(argument)`: expected \(expected), got \(actual)"
        case let .pathEscapesSaveDir(argument, path):
            return "invalid argument `\(argument)`: \(path.debugDescription) would be written outside the save "
                + "directory; expected a relative path without `..` components"
        case let .closed(backend):
            return "backend \(backend) is closed; it accepts no more data"
        case let .io(path, reason):
            return "I/O error on \(path): \(reason)"
        case let .corruptConfig(source, line, reason):
            return "corrupt config \(source)\(line.map { ", line \($0)" } ?? ""): \(reason)"
        case let .configValue(key, expected, actual):
            return "config key `\(key)`: expected \(expected), got \(actual)"
        case let .duplicateBackendName(name):
            return "vis backend name \(name) already exists; give each backend a unique `name`"
        case let .missingSaveDir(type):
            return "failed to add \(type): it needs a `save_dir` and none was given"
        case let .unknownType(registry, type, known):
            return "\(registry) has no type `\(type)`; registered: \(known.joined(separator: ", "))"
        case let .encodingFailed(name, reason):
            return "cannot encode image \(name): \(reason)"
        case let .backendsFailed(failures):
            return "\(failures.count) backend(s) failed: " + failures.map(\.description).joined(separator: "; ")
        }
    }
}

/// `localizedDescription` is the ``description``, not Foundation's generic "The operation could not be completed".
extension VisBackendError: LocalizedError {
    public var errorDescription: String? { description }
}
