import Foundation

/// Errors raised by `VisPlot` for bad input: each names the argument and what was expected.
public enum PlotError: LocalizedError, Equatable, Sendable {
    /// An argument had an unusable value.
    case invalidArgument(argument: String, expected: String, actual: String)
    /// A file could not be written, or its extension names no supported format.
    case output(path: String, reason: String)

    /// A one-line description naming the argument.
    public var errorDescription: String? {
        switch self {
        case let .invalidArgument(argument, expected, actual):
            return "invalid \(argument): expected \(expected), got \(actual)"
        case let .output(path, reason):
            return "cannot write \(path): \(reason)"
        }
    }
}

extension PlotError {
    /// Throws unless `x` and `y` have the same length.
    static func _checkSameLength(_ x: [Double], _ y: [Double], xName: String = "x", yName: String = "y") throws {
        guard x.count == y.count else {
            throw PlotError.invalidArgument(
                argument: yName, expected: "as many values as \(xName) (\(x.count))", actual: "\(y.count) values")
        }
    }

    /// Throws unless `value` is within `range`.
    static func _checkUnit(_ value: Double, argument: String) throws {
        guard value.isFinite, value >= 0, value <= 1 else {
            throw PlotError.invalidArgument(argument: argument, expected: "a number in 0...1", actual: "\(value)")
        }
    }

    /// Throws unless `value` is finite and > 0.
    static func _checkPositive(_ value: Double, argument: String) throws {
        guard value.isFinite, value > 0 else {
            throw PlotError.invalidArgument(argument: argument, expected: "a finite number > 0", actual: "\(value)")
        }
    }
}
