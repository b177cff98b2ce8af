import Foundation

/// Errors of the TensorBoard event writer and reader. Every case names the file (or argument) and what was
/// expected, so the message points at what to fix.
public enum TensorboardError: Error, Equatable, Sendable {
    /// A record's length or data CRC does not match: the bytes at `offset` of `path` were damaged after writing.
    case corruptRecord(path: String, offset: Int, reason: String)
    /// A record's CRCs are right but its payload is not a well-formed `Event`.
    case malformedEvent(path: String, offset: Int, reason: String)
    /// An argument had the wrong value or form.
    case invalidArgument(argument: String, expected: String, actual: String)
    /// Creating, reading or writing a file failed.
    case io(path: String, reason: String)
    /// The writer was used after ``TensorboardWriter/close()``.
    case closed(path: String)
}

extension TensorboardError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .corruptRecord(let path, let offset, let reason):
            return "corrupt TFRecord in \(path) at byte \(offset): \(reason)"
        case .malformedEvent(let path, let offset, let reason):
            return "malformed event in \(path) (record at byte \(offset)): \(reason)"
        case .invalidArgument(let argument, let expected, let actual):
            return "invalid argument `\(argument)`: expected \(expected), got \(actual)"
        case .io(let path, let reason):
            return "I/O error on \(path): \(reason)"
        case .closed(let path):
            return "the TensorBoard writer for \(path) is closed"
        }
    }
}

/// `localizedDescription` is the ``description``, not Foundation's generic "The operation could not be completed".
extension TensorboardError: LocalizedError {
    public var errorDescription: String? { description }
}
