/// The element type of an ``NDArray``, named like NumPy's dtypes.
///
/// `float16` is not a storage type: half-precision `.npy` data is widened to ``float32`` when it is read.
public enum DType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case float32, float64
    case int8, int16, int32, int64
    case uint8, uint16, uint32, uint64
    case bool

    /// Bytes per element in memory and in `.npy` files.
    public var itemSize: Int {
        switch self {
        case .int8, .uint8, .bool: return 1
        case .int16, .uint16: return 2
        case .float32, .int32, .uint32: return 4
        case .float64, .int64, .uint64: return 8
        }
    }

    /// Whether the elements are floating point.
    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    public var description: String { rawValue }
}

/// A scalar that one of the ``NDArray`` storage cases holds: `Float`, `Double`, the fixed-width integers and
/// `Bool`; this module conforms exactly those.
///
/// Its other requirements, the storage and conversion plumbing ``NDArray/converted(to:)`` uses, are SPI
/// (`NDArrayStorage`): not part of the public API, so that other types cannot claim a storage case.
public protocol NDArrayElement: Sendable, Equatable {
    /// The dtype whose storage holds this type.
    static var dtype: DType { get }
    /// Wraps a flat array of this type as storage.
    @_spi(NDArrayStorage) static func _wrap(_ values: [Self]) -> NDArray.Storage
    /// The flat array, when `storage` holds this type.
    @_spi(NDArrayStorage) static func _unwrap(_ storage: NDArray.Storage) -> [Self]?
    /// The value as a lossless-as-possible scalar.
    @_spi(NDArrayStorage) var _scalar: _NDScalar { get }
    /// Converts with NumPy `astype` rules (see ``NDArray/converted(to:)``).
    @_spi(NDArrayStorage) init(_scalar: _NDScalar)
}

/// A widened scalar used to convert between element types (SPI: ``NDArrayElement``'s requirements mention it).
@_spi(NDArrayStorage) public enum _NDScalar: Sendable {
    case signed(Int64)
    case unsigned(UInt64)
    case floating(Double)
    case bool(Bool)
}

/// Float → integer without traps: truncation toward zero, NaN → 0, out-of-range values saturate (NumPy leaves
/// these undefined; a crash is not an option for data from files).
@inlinable
func _saturatingInteger<I: FixedWidthInteger>(_ value: Double, as _: I.Type) -> I {
    if value.isNaN { return 0 }
    let truncated = value.rounded(.towardZero)
    if truncated <= Double(I.min) { return I.min }
    if truncated >= Double(I.max) { return I.max }
    return I(truncated)
}

extension NDArrayElement where Self: FixedWidthInteger {
    @inlinable
    @_spi(NDArrayStorage) public init(_scalar scalar: _NDScalar) {
        switch scalar {
        // Integer → integer keeps the low bits, like NumPy's astype.
        case .signed(let value): self = Self(truncatingIfNeeded: value)
        case .unsigned(let value): self = Self(truncatingIfNeeded: value)
        case .floating(let value): self = _saturatingInteger(value, as: Self.self)
        case .bool(let value): self = value ? 1 : 0
        }
    }
}

extension NDArrayElement where Self: FixedWidthInteger & SignedInteger {
    @inlinable @_spi(NDArrayStorage) public var _scalar: _NDScalar { .signed(Int64(self)) }
}

extension NDArrayElement where Self: FixedWidthInteger & UnsignedInteger {
    @inlinable @_spi(NDArrayStorage) public var _scalar: _NDScalar { .unsigned(UInt64(self)) }
}

extension NDArrayElement where Self: BinaryFloatingPoint {
    @inlinable @_spi(NDArrayStorage) public var _scalar: _NDScalar { .floating(Double(self)) }

    @inlinable
    @_spi(NDArrayStorage) public init(_scalar scalar: _NDScalar) {
        switch scalar {
        case .signed(let value): self = Self(value)
        case .unsigned(let value): self = Self(value)
        case .floating(let value): self = Self(value)
        case .bool(let value): self = value ? 1 : 0
        }
    }
}

extension Float: NDArrayElement {
    public static var dtype: DType { .float32 }
    @_spi(NDArrayStorage) public static func _wrap(_ values: [Float]) -> NDArray.Storage { .float32(values) }
    @_spi(NDArrayStorage) public static func _unwrap(_ storage: NDArray.Storage) -> [Float]? {
        if case .float32(let values) = storage { return values }
        return nil
    }
}

extension Double: NDArrayElement {
    public static var dtype: DType { .float64 }
    @_spi(NDArrayStorage) public static func _wrap(_ values: [Double]) -> NDArray.Storage { .float64(values) }
    @_spi(NDArrayStorage) public static func _unwrap(_ storage: NDArray.Storage) -> [Double]? {
        if case .float64(let values) = storage { return values }
        return nil
    }
}

extension Int8: NDArrayElement {
    public static var dtype: DType { .int8 }
    @_spi(NDArrayStorage) public static func _wrap(_ values: [Int8]) -> NDArray.Storage { .int8(values) }
    @_spi(NDArrayStorage) public static func _unwrap(_ storage: NDArray.Storage) -> [Int8]? {
        if case .int8(let values) = storage { return values }
        return nil
    }
}

extension Int16: NDArrayElement {
    public static var dtype: DType { .int16 }
    @_spi(NDArrayStorage) public static func _wrap(_ values: [Int16]) -> NDArray.Storage { .int16(values) }
    @_spi(NDArrayStorage) public static func _unwrap(_ storage: NDArray.Storage) -> [Int16]? {
        if case .int16(let values) = storage { return values }
        return nil
    }
}

extension Int32: NDArrayElement {
    public static var dtype: DType { .int32 }
    @_spi(NDArrayStorage) public static func _wrap(_ values: [Int32]) -> NDArray.Storage { .int32(values) }
    @_spi(NDArrayStorage) public static func _unwrap(_ storage: NDArray.Storage) -> [Int32]? {
        if case .int32(let values) = storage { return values }
        return nil
    }
}

extension Int64: NDArrayElement {
    public static var dtype: DType { .int64 }
    @_spi(NDArrayStorage) public static func _wrap(_ values: [Int64]) -> NDArray.Storage { .int64(values) }
    @_spi(NDArrayStorage) public static func _unwrap(_ storage: NDArray.Storage) -> [Int64]? {
        if case .int64(let values) = storage { return values }
        return nil
    }
}

extension UInt8: NDArrayElement {
    public static var dtype: DType { .uint8 }
    @_spi(NDArrayStorage) public static func _wrap(_ values: [UInt8]) -> NDArray.Storage { .uint8(values) }
    @_spi(NDArrayStorage) public static func _unwrap(_ storage: NDArray.Storage) -> [UInt8]? {
        if case .uint8(let values) = storage { return values }
        return nil
    }
}

extension UInt16: NDArrayElement {
    public static var dtype: DType { .uint16 }
    @_spi(NDArrayStorage) public static func _wrap(_ values: [UInt16]) -> NDArray.Storage { .uint16(values) }
    @_spi(NDArrayStorage) public static func _unwrap(_ storage: NDArray.Storage) -> [UInt16]? {
        if case .uint16(let values) = storage { return values }
        return nil
    }
}

extension UInt32: NDArrayElement {
    public static var dtype: DType { .uint32 }
    @_spi(NDArrayStorage) public static func _wrap(_ values: [UInt32]) -> NDArray.Storage { .uint32(values) }
    @_spi(NDArrayStorage) public static func _unwrap(_ storage: NDArray.Storage) -> [UInt32]? {
        if case .uint32(let values) = storage { return values }
        return nil
    }
}

extension UInt64: NDArrayElement {
    public static var dtype: DType { .uint64 }
    @_spi(NDArrayStorage) public static func _wrap(_ values: [UInt64]) -> NDArray.Storage { .uint64(values) }
    @_spi(NDArrayStorage) public static func _unwrap(_ storage: NDArray.Storage) -> [UInt64]? {
        if case .uint64(let values) = storage { return values }
        return nil
    }
}

extension Bool: NDArrayElement {
    public static var dtype: DType { .bool }
    @_spi(NDArrayStorage) public static func _wrap(_ values: [Bool]) -> NDArray.Storage { .bool(values) }
    @_spi(NDArrayStorage) public static func _unwrap(_ storage: NDArray.Storage) -> [Bool]? {
        if case .bool(let values) = storage { return values }
        return nil
    }
    @_spi(NDArrayStorage) public var _scalar: _NDScalar { .bool(self) }
    /// Non-zero is `true` (NaN too, as in NumPy).
    @_spi(NDArrayStorage) public init(_scalar scalar: _NDScalar) {
        switch scalar {
        case .signed(let value): self = value != 0
        case .unsigned(let value): self = value != 0
        case .floating(let value): self = value != 0
        case .bool(let value): self = value
        }
    }
}
