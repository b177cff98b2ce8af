/// A logged number: an integer or a floating-point value.
///
/// MMEngine logs Python `int`s and `float`s and its JSON keeps the difference (`"epoch": 3` but
/// `"lr": 0.001`, `"acc": 1.0`); backends with typed stores (TensorBoard's `simple_value`) convert to `Double`.
/// Integer literals make `.int`, float literals `.double`:
///
/// ```swift
/// try backend.addScalars(["epoch": 3, "loss": 0.25], step: 100)
/// ```
public enum ScalarValue: Sendable, Hashable {
    /// A whole number, written without a fraction (`3`).
    case int(Int)
    /// A floating-point number, written as the shortest text that reads back exactly (`0.1`, `1.0`); NaN and
    /// infinities are written as Python's `json` does (`NaN`, `Infinity`, `-Infinity`).
    case double(Double)

    /// The value as a `Double` (integers beyond 2^53 round).
    public var doubleValue: Double {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        }
    }

    /// Wraps any integer (values outside `Int`'s range are clamped).
    public init<T: BinaryInteger>(_ value: T) {
        self = .int(Int(clamping: value))
    }

    /// Wraps any floating-point number.
    public init<T: BinaryFloatingPoint>(_ value: T) {
        self = .double(Double(value))
    }
}

extension ScalarValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension ScalarValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension ScalarValue: CustomStringConvertible {
    /// The JSON text of the value, as Python's `json.dumps` writes it.
    public var description: String { jsonText }

    /// The JSON text of the value, as Python's `json.dumps` writes it (`3`, `0.5`, `1.0`, `NaN`, `-Infinity`).
    public var jsonText: String {
        switch self {
        case .int(let value): return String(value)
        case .double(let value): return JSONText.number(value)
        }
    }
}
