/// An n-dimensional array: a shape and contiguous row-major (C order) storage of one element type.
///
/// `NDArray` is the interchange type for masks (H×W `bool`), boxes (N×4), and feature maps (C×H×W `float32`),
/// and what `.npy`/`.npz` files hold. It is a value type; the storage is a typed Swift array, so copies are
/// cheap and copy-on-write.
///
/// ```swift
/// let map = try NDArray([Float](repeating: 0, count: 2 * 3 * 4), shape: [2, 3, 4])
/// let boxes = try NDArray([[10, 20, 50, 80], [0, 0, 5, 5]])   // float64, 2×4
/// let plane = try map.subarray(at: 1)                          // 3×4
/// ```
public struct NDArray: Sendable, Equatable, CustomStringConvertible {
    /// The elements, flat in row-major order, in a typed Swift array.
    public enum Storage: Sendable, Equatable {
        case float32([Float])
        case float64([Double])
        case int8([Int8])
        case int16([Int16])
        case int32([Int32])
        case int64([Int64])
        case uint8([UInt8])
        case uint16([UInt16])
        case uint32([UInt32])
        case uint64([UInt64])
        case bool([Bool])

        /// The element type.
        public var dtype: DType {
            switch self {
            case .float32: return .float32
            case .float64: return .float64
            case .int8: return .int8
            case .int16: return .int16
            case .int32: return .int32
            case .int64: return .int64
            case .uint8: return .uint8
            case .uint16: return .uint16
            case .uint32: return .uint32
            case .uint64: return .uint64
            case .bool: return .bool
            }
        }

        /// The number of elements.
        public var count: Int { _apply(_Count()) }

        /// Calls `reader` with the typed flat array: the one place that switches over the element types.
        @inlinable
        func _apply<R: _StorageReader>(_ reader: R) -> R.Result {
            switch self {
            case .float32(let values): return reader.read(values)
            case .float64(let values): return reader.read(values)
            case .int8(let values): return reader.read(values)
            case .int16(let values): return reader.read(values)
            case .int32(let values): return reader.read(values)
            case .int64(let values): return reader.read(values)
            case .uint8(let values): return reader.read(values)
            case .uint16(let values): return reader.read(values)
            case .uint32(let values): return reader.read(values)
            case .uint64(let values): return reader.read(values)
            case .bool(let values): return reader.read(values)
            }
        }
    }

    /// The length of each axis. `[]` is a scalar (one element).
    public private(set) var shape: [Int]
    /// The elements in row-major order.
    public private(set) var storage: Storage

    /// The element type.
    @inlinable public var dtype: DType { storage.dtype }
    /// The number of elements: the product of `shape`.
    public var count: Int { storage.count }
    /// The number of axes (NumPy's `ndim`).
    @inlinable public var rank: Int { shape.count }
    /// Elements to step over to advance one position along each axis.
    public var strides: [Int] { NDArray._strides(of: shape) }

    /// Wraps storage with a shape.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `shape` when an axis is
    ///   negative or the shape's product is not `storage.count`.
    public init(storage: Storage, shape: [Int]) throws {
        let count = try NDArray._elementCount(of: shape, argument: "shape")
        guard count == storage.count else {
            throw VisCoreError.invalidArgument(
                argument: "shape", expected: "a shape whose product is the element count \(storage.count)",
                actual: "\(shape) (\(count) elements)")
        }
        self.shape = shape
        self.storage = storage
    }

    /// Creates an array from flat row-major values and a shape; the dtype follows the element type.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `shape` when its product is
    ///   not `values.count`.
    public init<T: NDArrayElement>(_ values: [T], shape: [Int]) throws {
        try self.init(storage: T._wrap(values), shape: shape)
    }

    /// Creates an array with every element equal to `value`.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `shape` for a negative or
    ///   overflowing shape.
    public init<T: NDArrayElement>(repeating value: T, shape: [Int]) throws {
        let count = try NDArray._elementCount(of: shape, argument: "shape")
        self.init(_unchecked: T._wrap([T](repeating: value, count: count)), shape: shape)
    }

    /// A 2-D `float64` array from rows: `try NDArray([[0, 1], [2, 3]])`.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `rows` when they differ in
    ///   length.
    public init(_ rows: [[Double]]) throws {
        try self.init(rows as [[Double]], elementType: Double.self)
    }

    /// A 3-D `float64` array from planes of rows (C×H×W).
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `planes` when planes or rows
    ///   differ in length.
    public init(_ planes: [[[Double]]]) throws {
        try self.init(planes as [[[Double]]], elementType: Double.self)
    }

    /// A 2-D array from rows of any element type: `try NDArray([[true, false]] as [[Bool]])`.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `rows` when they differ in
    ///   length.
    public init<T: NDArrayElement>(_ rows: [[T]], elementType: T.Type = T.self) throws {
        let columns = rows.first?.count ?? 0
        if let bad = rows.firstIndex(where: { $0.count != columns }) {
            throw VisCoreError.invalidArgument(
                argument: "rows", expected: "rows of equal length \(columns)",
                actual: "row \(bad) has \(rows[bad].count) values")
        }
        self.init(_unchecked: T._wrap(rows.flatMap { $0 }), shape: [rows.count, columns])
    }

    /// A 3-D array from planes of rows (C×H×W) of any element type.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `planes` when planes or rows
    ///   differ in length.
    public init<T: NDArrayElement>(_ planes: [[[T]]], elementType: T.Type = T.self) throws {
        let height = planes.first?.count ?? 0
        let width = planes.first?.first?.count ?? 0
        var flat: [T] = []
        flat.reserveCapacity(planes.count * height * width)
        for (p, plane) in planes.enumerated() {
            guard plane.count == height else {
                throw VisCoreError.invalidArgument(
                    argument: "planes", expected: "planes of equal height \(height)",
                    actual: "plane \(p) has \(plane.count) rows")
            }
            for (r, row) in plane.enumerated() {
                guard row.count == width else {
                    throw VisCoreError.invalidArgument(
                        argument: "planes", expected: "rows of equal width \(width)",
                        actual: "plane \(p) row \(r) has \(row.count) values")
                }
                flat.append(contentsOf: row)
            }
        }
        self.init(_unchecked: T._wrap(flat), shape: [planes.count, height, width])
    }

    @usableFromInline
    init(_unchecked storage: Storage, shape: [Int]) {
        self.storage = storage
        self.shape = shape
    }

    /// The flat row-major elements when the dtype is `T`'s, else `nil` (use ``converted(to:)`` first).
    public func values<T: NDArrayElement>(as type: T.Type = T.self) -> [T]? {
        T._unwrap(storage)
    }

    /// The element at `indices` (one per axis) as a `Double`. Indices out of range are a programming error and
    /// trap, like an array subscript; use ``element(at:)`` for indices that come from data.
    public subscript(_ indices: Int...) -> Double {
        do {
            return try element(at: indices)
        } catch {
            preconditionFailure("NDArray index \(indices) out of range for shape \(shape)")
        }
    }

    /// The element at `indices` (one per axis) as a `Double` (64-bit integers beyond 2^53 round).
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `indices` when their count
    ///   is not the rank or one is out of range.
    public func element(at indices: [Int]) throws -> Double {
        let flat = try flatIndex(of: indices)
        return Double(_scalar: storage._apply(_ScalarAt(index: flat)))
    }

    /// The row-major position of `indices` in the flat storage.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `indices`.
    public func flatIndex(of indices: [Int]) throws -> Int {
        guard indices.count == shape.count,
            zip(indices, shape).allSatisfy({ $0 >= 0 && $0 < $1 })
        else {
            throw VisCoreError.invalidArgument(
                argument: "indices", expected: "\(shape.count) indices within shape \(shape)", actual: "\(indices)")
        }
        var flat = 0
        for (index, length) in zip(indices, shape) { flat = flat * length + index }
        return flat
    }

    /// The same elements with another shape; one axis may be `-1` to take the remaining length.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `shape` when the element
    ///   counts differ.
    public func reshaped(_ newShape: [Int]) throws -> NDArray {
        var resolved = newShape
        let wildcards = newShape.indices.filter { newShape[$0] == -1 }
        if let wildcard = wildcards.first, wildcards.count == 1 {
            var known = newShape
            known[wildcard] = 1
            let product = try NDArray._elementCount(of: known, argument: "shape")
            guard product > 0, count % product == 0 else {
                throw VisCoreError.invalidArgument(
                    argument: "shape", expected: "a shape compatible with \(count) elements", actual: "\(newShape)")
            }
            resolved[wildcard] = count / product
        }
        return try NDArray(storage: storage, shape: resolved)
    }

    /// The sub-array at `index` along the first axis: a plane of a C×H×W map, a row of an N×4 box array.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `index` for a scalar array or
    ///   an index out of range.
    public func subarray(at index: Int) throws -> NDArray {
        guard let first = shape.first, index >= 0, index < first else {
            throw VisCoreError.invalidArgument(
                argument: "index", expected: "0..<\(shape.first ?? 0) along the first axis of shape \(shape)",
                actual: "\(index)")
        }
        let inner = Array(shape.dropFirst())
        let length = inner.reduce(1, *)
        return NDArray(_unchecked: storage._apply(_Slice(range: index * length..<(index + 1) * length)), shape: inner)
    }

    /// The array with its axes reversed (NumPy's `.T`): element `[i, j, k]` moves to `[k, j, i]`.
    public func transposed() -> NDArray {
        guard rank > 1 else { return self }
        return NDArray(_unchecked: storage._apply(_ReverseAxes(shape: shape)), shape: shape.reversed())
    }

    /// A copy with elements converted to `dtype` by NumPy's `astype` rules: integers wrap to narrower integers,
    /// floats truncate toward zero into integers, non-zero becomes `true`, `true` becomes 1. Where NumPy is
    /// undefined (NaN or out-of-range floats into integers) this saturates, and NaN becomes 0.
    public func converted(to dtype: DType) -> NDArray {
        guard dtype != self.dtype else { return self }
        let converted: Storage
        switch dtype {
        case .float32: converted = .float32(_flat(Float.self))
        case .float64: converted = .float64(_flat(Double.self))
        case .int8: converted = .int8(_flat(Int8.self))
        case .int16: converted = .int16(_flat(Int16.self))
        case .int32: converted = .int32(_flat(Int32.self))
        case .int64: converted = .int64(_flat(Int64.self))
        case .uint8: converted = .uint8(_flat(UInt8.self))
        case .uint16: converted = .uint16(_flat(UInt16.self))
        case .uint32: converted = .uint32(_flat(UInt32.self))
        case .uint64: converted = .uint64(_flat(UInt64.self))
        case .bool: converted = .bool(_flat(Bool.self))
        }
        return NDArray(_unchecked: converted, shape: shape)
    }

    /// The elements as flat row-major `Float`s (converted if needed).
    public func toFloat32() -> [Float] { _flat(Float.self) }

    /// The elements as flat row-major `Double`s (converted if needed).
    public func toDouble() -> [Double] { _flat(Double.self) }

    func _flat<T: NDArrayElement>(_ type: T.Type) -> [T] {
        if let same = T._unwrap(storage) { return same }
        return storage._apply(_Convert<T>())
    }

    public var description: String { "NDArray(\(dtype), shape: \(shape))" }

    static func _strides(of shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in shape.indices.reversed() {
            strides[axis] = step
            step &*= shape[axis]
        }
        return strides
    }

    /// The product of `shape`, checked for negative axes and overflow.
    static func _elementCount(of shape: [Int], argument: String) throws -> Int {
        var product = 1
        for length in shape {
            guard length >= 0 else {
                throw VisCoreError.invalidArgument(
                    argument: argument, expected: "non-negative axis lengths", actual: "\(shape)")
            }
            let (next, overflow) = product.multipliedReportingOverflow(by: length)
            guard !overflow else {
                throw VisCoreError.invalidArgument(
                    argument: argument, expected: "an element count that fits in Int", actual: "\(shape)")
            }
            product = next
        }
        return product
    }
}

/// A generic operation over the typed flat array inside ``NDArray/Storage``.
@usableFromInline
protocol _StorageReader {
    associatedtype Result
    func read<T: NDArrayElement>(_ values: [T]) -> Result
}

struct _Count: _StorageReader {
    func read<T: NDArrayElement>(_ values: [T]) -> Int { values.count }
}

struct _ScalarAt: _StorageReader {
    let index: Int
    func read<T: NDArrayElement>(_ values: [T]) -> _NDScalar { values[index]._scalar }
}

struct _Slice: _StorageReader {
    let range: Range<Int>
    func read<T: NDArrayElement>(_ values: [T]) -> NDArray.Storage { T._wrap(Array(values[range])) }
}

struct _Convert<D: NDArrayElement>: _StorageReader {
    init() {}
    func read<T: NDArrayElement>(_ values: [T]) -> [D] { values.map { D(_scalar: $0._scalar) } }
}

/// Reverses the axes of a row-major array: reading the source in order, each element lands at the output
/// position whose index tuple is the source's, reversed.
struct _ReverseAxes: _StorageReader {
    let shape: [Int]

    func read<T: NDArrayElement>(_ values: [T]) -> NDArray.Storage {
        guard let first = values.first else { return T._wrap(values) }
        let outputStrides = NDArray._strides(of: shape.reversed())
        // Source axis `a` is output axis `rank-1-a`, so its output stride is outputStrides[rank-1-a].
        let strides = Array(outputStrides.reversed())
        let innerLength = shape[shape.count - 1]
        let innerStride = strides[shape.count - 1]
        var output = [T](repeating: first, count: values.count)
        var counter = [Int](repeating: 0, count: shape.count - 1)
        var base = 0
        var source = 0
        output.withUnsafeMutableBufferPointer { out in
            values.withUnsafeBufferPointer { input in
                while source < input.count {
                    var target = base
                    for i in 0..<innerLength {
                        out[target] = input[source + i]
                        target += innerStride
                    }
                    source += innerLength
                    // Advance the odometer over the outer axes.
                    var axis = shape.count - 2
                    while axis >= 0 {
                        counter[axis] += 1
                        base += strides[axis]
                        if counter[axis] < shape[axis] { break }
                        base -= strides[axis] * shape[axis]
                        counter[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
        return T._wrap(output)
    }
}
