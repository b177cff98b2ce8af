import VisCore
import VisDraw

// The inputs of the drawing methods: arrays (Swift arrays or `NDArray`) and styling arguments that take one value
// for every item or one value per item (MMEngine's `value2list` / `check_length`).

/// Something a drawing method can read as an n-dimensional array: `NDArray`, or nested Swift arrays of `Double`,
/// `Float`, `Int`, `UInt8` or `Bool` (`[[10, 20, 50, 80]]` is a 1×4 array).
///
/// MMEngine accepts NumPy arrays and torch tensors but rejects Python lists; this port accepts both arrays and
/// nested Swift arrays (a deliberate extension). Conform your own tensor type by returning an `NDArray`.
public protocol NDArrayConvertible {
    /// The values as an `NDArray`.
    ///
    /// - Parameter argument: The argument name to report in errors.
    /// - Throws: ``VisualizerError/invalidArgument(argument:expected:actual:)`` for ragged nested arrays.
    func makeNDArray(argument: String) throws -> NDArray
}

extension NDArray: NDArrayConvertible {
    /// The array itself.
    public func makeNDArray(argument: String) throws -> NDArray { self }
}

/// An element of a nested Swift array that ``NDArrayConvertible`` reads: a scalar (`Double`, `Float`, `Int`,
/// `UInt8`, `Bool`) or an array of them, nested to any depth. Not meant to be conformed to outside this module.
public protocol NDArrayNestable {
    /// The `NDArray` element type of the innermost values.
    associatedtype _Leaf: NDArrayElement
    /// Appends the innermost values in row-major order and returns the shape of `self` (`[]` for a scalar), or
    /// nil when the nested arrays are ragged.
    func _flatten(into leaves: inout [_Leaf]) -> [Int]?
}

extension Double: NDArrayNestable {
    public func _flatten(into leaves: inout [Double]) -> [Int]? {
        leaves.append(self)
        return []
    }
}

extension Float: NDArrayNestable {
    public func _flatten(into leaves: inout [Float]) -> [Int]? {
        leaves.append(self)
        return []
    }
}

extension Int: NDArrayNestable {
    public func _flatten(into leaves: inout [Int64]) -> [Int]? {
        leaves.append(Int64(self))
        return []
    }
}

extension UInt8: NDArrayNestable {
    public func _flatten(into leaves: inout [UInt8]) -> [Int]? {
        leaves.append(self)
        return []
    }
}

extension Bool: NDArrayNestable {
    public func _flatten(into leaves: inout [Bool]) -> [Int]? {
        leaves.append(self)
        return []
    }
}

extension Array: NDArrayNestable where Element: NDArrayNestable {
    public func _flatten(into leaves: inout [Element._Leaf]) -> [Int]? {
        var inner: [Int]?
        for element in self {
            guard let shape = element._flatten(into: &leaves) else { return nil }
            if let inner, inner != shape { return nil }
            inner = shape
        }
        return [count] + (inner ?? [])
    }
}

extension Array: NDArrayConvertible where Element: NDArrayNestable {
    /// The nested array as an `NDArray` (floating-point and integer values keep their type; `Int` becomes
    /// `int64`).
    public func makeNDArray(argument: String) throws -> NDArray {
        var leaves: [Element._Leaf] = []
        guard let shape = _flatten(into: &leaves) else {
            throw VisualizerError.invalidArgument(
                argument: argument, expected: "a rectangular nested array (rows of equal length)",
                actual: "rows of different lengths")
        }
        return try NDArray(leaves, shape: shape)
    }
}

/// The polygons of ``Visualizer/drawPolygons(_:edgeColors:lineStyles:lineWidths:faceColors:alpha:)``: one
/// K×2 array of vertices per polygon.
///
/// Conformers: `NDArray` (one K×2 polygon), `[NDArray]`, `[[Double]]` (one polygon) and `[[[Double]]]` (several;
/// `Float` and `Int` too).
public protocol PolygonsConvertible {
    /// The polygons, each a K×2 array.
    func makePolygons(argument: String) throws -> [NDArray]
}

extension NDArray: PolygonsConvertible {
    /// One polygon (MMEngine wraps a single array in a list).
    public func makePolygons(argument: String) throws -> [NDArray] { [self] }
}

extension Array: PolygonsConvertible where Element: NDArrayNestable {
    /// Each element as one polygon (`[[[x, y], ...], ...]`, `[NDArray]`; polygons may differ in vertex count), or
    /// the whole array as one polygon when its elements are vertex rows (`[[x, y], ...]`). Empty elements are
    /// empty polygons (`[[]]` is one polygon without vertices, drawn as nothing).
    public func makePolygons(argument: String) throws -> [NDArray] {
        var polygons: [NDArray] = []
        polygons.reserveCapacity(count)
        for (index, element) in enumerated() {
            var leaves: [Element._Leaf] = []
            guard let shape = element._flatten(into: &leaves) else {
                throw VisualizerError.invalidArgument(
                    argument: "\(argument)[\(index)]", expected: "a rectangular K×2 array of vertices",
                    actual: "rows of different lengths")
            }
            polygons.append(try NDArray(leaves, shape: shape))
        }
        guard !polygons.isEmpty, polygons.allSatisfy({ $0.rank < 2 }) else { return polygons }
        // Flat elements are either vertex rows of one polygon (`[[x, y], ...]`) or empty polygons (`[[]]`, which
        // draw nothing, like an empty polygon among others); an empty list among vertices is neither.
        let empty = polygons.indices.filter { polygons[$0].count == 0 }
        if empty.count == polygons.count { return polygons }
        if let first = empty.first {
            throw VisualizerError.invalidArgument(
                argument: "\(argument)[\(first)]",
                expected: "a vertex [x, y] (the other elements are vertices of one polygon) or, for a list of "
                    + "polygons, a list of [x, y] vertices per polygon",
                actual: "an empty list")
        }
        return [try makeNDArray(argument: argument)]
    }
}

extension NDArray: NDArrayNestable {
    /// An array nested in a Swift array (`[NDArray]`) contributes its values as `float64`.
    public func _flatten(into leaves: inout [Double]) -> [Int]? {
        leaves.append(contentsOf: toDouble())
        return shape
    }
}

/// One value for every item, or one value per item: the form of every styling argument of the drawing methods
/// (MMEngine's "value or list").
///
/// Literals pick the case: `edgeColors: "r"` is `.all("r")`, `edgeColors: ["r", "g"]` is `.each(["r", "g"])`,
/// `lineWidths: 2` is `.all(2)`. Enums are written `.all(.dashed)` or as a list `[.solid, .dashed]`.
///
/// A list shorter than the number of items is an error naming the argument (MMEngine's `check_length`); a longer
/// list is allowed and its extra values are ignored, as in MMEngine.
public enum PerItem<Value: Sendable>: Sendable {
    /// The same value for every item.
    case all(Value)
    /// One value per item, in item order.
    case each([Value])

    /// The value of each of `count` items.
    ///
    /// - Throws: ``VisualizerError/invalidArgument(argument:expected:actual:)`` naming `argument` when a list
    ///   has fewer than `count` values.
    public func values(count: Int, argument: String) throws -> [Value] {
        switch self {
        case .all(let value):
            return [Value](repeating: value, count: count)
        case .each(let values):
            guard values.count >= count else {
                throw VisualizerError.invalidArgument(
                    argument: argument,
                    expected: "one value for all or a list of at least \(count) (one per item)",
                    actual: "a list of \(values.count)")
            }
            return values.count == count ? values : Array(values.prefix(count))
        }
    }

    /// Every value given (one for `.all`), for validation that does not depend on the item count.
    var givenValues: [Value] {
        switch self {
        case .all(let value): return [value]
        case .each(let values): return values
        }
    }

    /// `self` with each value transformed.
    func map<Other>(_ transform: (Value) throws -> Other) rethrows -> PerItem<Other> {
        switch self {
        case .all(let value): return .all(try transform(value))
        case .each(let values): return .each(try values.map(transform))
        }
    }
}

extension PerItem: Equatable where Value: Equatable {}

extension PerItem: ExpressibleByArrayLiteral {
    /// One value per item.
    public init(arrayLiteral elements: Value...) {
        self = .each(elements)
    }
}

extension PerItem: ExpressibleByUnicodeScalarLiteral where Value: ExpressibleByStringLiteral {
    public init(unicodeScalarLiteral value: Value.UnicodeScalarLiteralType) {
        self = .all(Value(unicodeScalarLiteral: value))
    }
}

extension PerItem: ExpressibleByExtendedGraphemeClusterLiteral where Value: ExpressibleByStringLiteral {
    public init(extendedGraphemeClusterLiteral value: Value.ExtendedGraphemeClusterLiteralType) {
        self = .all(Value(extendedGraphemeClusterLiteral: value))
    }
}

extension PerItem: ExpressibleByStringLiteral where Value: ExpressibleByStringLiteral {
    /// The same value, written as a string literal (`"g"`, `"sans-serif"`), for every item.
    public init(stringLiteral value: Value.StringLiteralType) {
        self = .all(Value(stringLiteral: value))
    }
}

extension PerItem: ExpressibleByIntegerLiteral where Value: ExpressibleByIntegerLiteral {
    /// The same number for every item.
    public init(integerLiteral value: Value.IntegerLiteralType) {
        self = .all(Value(integerLiteral: value))
    }
}

extension PerItem: ExpressibleByFloatLiteral where Value: ExpressibleByFloatLiteral {
    /// The same number for every item.
    public init(floatLiteral value: Value.FloatLiteralType) {
        self = .all(Value(floatLiteral: value))
    }
}

/// A mask colour of ``Visualizer/drawBinaryMasks(_:colors:alphas:)``.
///
/// MMEngine converts mask colour strings with `color_str2rgb`, which **truncates** matplotlib's fractions, so a
/// string literal stays a string until it is drawn: `"g"` fills with (0, 127, 0), while `.rgb(Color(...))` uses
/// the exact channels.
public enum MaskColor: Sendable, Hashable, ExpressibleByStringLiteral {
    /// A matplotlib colour string, converted with `Color.maskColor(parsing:argument:)`.
    case named(String)
    /// Exact channels (alpha is ignored: masks blend with their own `alphas`).
    case rgb(Color)

    /// A colour string.
    public init(stringLiteral value: String) {
        self = .named(value)
    }

    /// Exact channels.
    public init(_ color: Color) {
        self = .rgb(color)
    }

    /// The fill colour, opaque.
    ///
    /// - Throws: ``VisualizerError/invalidArgument(argument:expected:actual:)`` for a string that is not a colour
    ///   or `Color.invalidLiteral`.
    public func resolved(argument: String) throws -> Color {
        switch self {
        case .named(let text):
            return try _visualizerArgument { try Color.maskColor(parsing: text, argument: argument) }
        case .rgb(let color):
            return try _visualizerArgument { try color.validated(argument: argument) }.withAlpha(255)
        }
    }
}

/// Runs `body`, turning the argument errors of the lower modules (colour, line style, text alignment parsing)
/// into ``VisualizerError/invalidArgument(argument:expected:actual:)`` so that a drawing method throws one error
/// type for bad arguments.
func _visualizerArgument<Result>(_ body: () throws -> Result) throws -> Result {
    do {
        return try body()
    } catch VisCoreError.invalidArgument(let argument, let expected, let actual) {
        throw VisualizerError.invalidArgument(argument: argument, expected: expected, actual: actual)
    } catch VisDrawError.invalidArgument(let argument, let expected, let actual) {
        throw VisualizerError.invalidArgument(argument: argument, expected: expected, actual: actual)
    }
}

/// N rows of `columns` finite coordinates, read from an array argument.
struct _CoordinateRows {
    let count: Int
    let columns: Int
    /// Row-major values, `count * columns` long.
    let values: [Double]

    subscript(row: Int, column: Int) -> Double { values[row * columns + column] }

    func point(_ row: Int, offset: Int = 0) -> Point {
        Point(x: values[row * columns + offset], y: values[row * columns + offset + 1])
    }

    /// Reads `input` as an N×`columns` array; a 1-D array of `columns` values is one row (MMEngine's 1-D → 1×k)
    /// and an empty array is zero rows.
    ///
    /// - Throws: ``VisualizerError/invalidArgument(argument:expected:actual:)`` naming `argument` for another
    ///   shape, a boolean array, or a coordinate that is NaN or infinite.
    init(_ input: some NDArrayConvertible, columns: Int, argument: String, expected: String) throws {
        let array = try input.makeNDArray(argument: argument)
        try self.init(array, columns: columns, argument: argument, expected: expected)
    }

    init(_ array: NDArray, columns: Int, argument: String, expected: String) throws {
        guard array.dtype != .bool else {
            throw VisualizerError.invalidArgument(argument: argument, expected: expected, actual: "a bool array")
        }
        if array.count == 0 && array.rank <= 2 && (array.rank < 2 || array.shape[1] == columns || array.shape[0] == 0) {
            self.count = 0
            self.columns = columns
            self.values = []
            return
        }
        switch array.rank {
        case 1 where array.shape[0] == columns:
            count = 1
        case 2 where array.shape[1] == columns:
            count = array.shape[0]
        default:
            throw VisualizerError.invalidArgument(
                argument: argument, expected: expected, actual: "an array of shape \(array.shape)")
        }
        self.columns = columns
        values = array.toDouble()
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw VisualizerError.invalidArgument(
                argument: argument, expected: "finite coordinates",
                actual: "\(values[bad]) in row \(bad / columns)")
        }
    }
}
