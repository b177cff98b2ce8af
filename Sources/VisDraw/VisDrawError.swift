/// Errors raised by `VisDraw` for bad drawing input. Every case names the offending argument, so a message that
/// reaches a user points at what to fix.
public enum VisDrawError: Error, Equatable, Sendable {
    /// Geometry that cannot be drawn: a coordinate or radius that is NaN or infinite, a negative radius or size.
    /// Finite coordinates, however far outside the image, are never an error: they are clipped.
    case invalidGeometry(argument: String, reason: String)
    /// A style argument (line width, dash pattern, opacity, line style name …) outside its accepted form.
    case invalidArgument(argument: String, expected: String, actual: String)
}

extension VisDrawError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .invalidGeometry(argument, reason):
            return "invalid geometry in `\(argument)`: \(reason)"
        case let .invalidArgument(argument, expected, actual):
            return "invalid argument `\(argument)`: expected \(expected), got \(actual)"
        }
    }
}

extension VisDrawError: CustomDebugStringConvertible {
    public var debugDescription: String { description }
}
