import Foundation

/// Errors raised by `VisCore` for bad input: every case names what was wrong and what was expected, so that a
/// message reaching a user points at the argument or file to fix.
public enum VisCoreError: Error, Equatable, Sendable {
    /// An argument had the wrong value or form. `argument` is its name, `expected` the accepted form.
    case invalidArgument(argument: String, expected: String, actual: String)
    /// Data (a file or a byte buffer) could not be decoded. `source` is the path or `"<bytes>"`.
    case corruptData(source: String, reason: String)
    /// Data is well formed but uses a feature this library does not read.
    case unsupportedFormat(source: String, reason: String)
    /// Declared sizes exceed what the library agrees to allocate (a guard against hostile headers).
    case tooLarge(source: String, reason: String)
    /// Reading or writing a file failed.
    case io(path: String, reason: String)
}

extension VisCoreError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .invalidArgument(argument, expected, actual):
            return "invalid argument `\(argument)`: expected \(expected), got \(actual)"
        case let .corruptData(source, reason):
            return "corrupt data in \(source): \(reason)"
        case let .unsupportedFormat(source, reason):
            return "unsupported format in \(source): \(reason)"
        case let .tooLarge(source, reason):
            return "too large: \(source): \(reason)"
        case let .io(path, reason):
            return "I/O error on \(path): \(reason)"
        }
    }
}

extension VisCoreError: CustomDebugStringConvertible {
    public var debugDescription: String { description }
}

/// `localizedDescription` is the ``description``, not Foundation's generic "The operation could not be completed".
extension VisCoreError: LocalizedError {
    public var errorDescription: String? { description }
}
