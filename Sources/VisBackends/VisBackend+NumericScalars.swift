import OrderedCollections

/// Scalars from variables of any numeric type: a training loop logs `let loss: Float = …` or `let epoch = 3`
/// directly. Integers are stored as ``ScalarValue/int(_:)`` and floating-point numbers as
/// ``ScalarValue/double(_:)``, so `3` and `3.0` keep their difference in the stored JSON.
///
/// These overloads are disfavored: a literal (`value: 3`, `["epoch": 3, "loss": 0.25]`) still becomes a
/// ``ScalarValue`` per element, so mixed literal dictionaries keep their integers.
extension VisBackend {
    /// Stores a floating-point scalar (`Double`, `Float`, …) at `step`.
    @_disfavoredOverload
    public func addScalar<T: BinaryFloatingPoint>(name: String, value: T, step: Int = 0) throws {
        try addScalar(name: name, value: ScalarValue(value), step: step)
    }

    /// Stores an integer scalar (`Int`, `Int32`, `UInt8`, …) at `step`.
    @_disfavoredOverload
    public func addScalar<T: BinaryInteger>(name: String, value: T, step: Int = 0) throws {
        try addScalar(name: name, value: ScalarValue(value), step: step)
    }

    /// Stores floating-point scalars at `step`, in the dictionary's order.
    @_disfavoredOverload
    public func addScalars<T: BinaryFloatingPoint>(
        _ scalars: OrderedDictionary<String, T>, step: Int = 0, filePath: String? = nil
    ) throws {
        try addScalars(ScalarValue._dictionary(scalars) { ScalarValue($0) }, step: step, filePath: filePath)
    }

    /// Stores integer scalars at `step`, in the dictionary's order.
    @_disfavoredOverload
    public func addScalars<T: BinaryInteger>(
        _ scalars: OrderedDictionary<String, T>, step: Int = 0, filePath: String? = nil
    ) throws {
        try addScalars(ScalarValue._dictionary(scalars) { ScalarValue($0) }, step: step, filePath: filePath)
    }

    /// Stores floating-point scalars at `step`; a `Dictionary` has no order, so the keys are stored sorted.
    @_disfavoredOverload
    public func addScalars<T: BinaryFloatingPoint>(
        _ scalars: [String: T], step: Int = 0, filePath: String? = nil
    ) throws {
        try addScalars(ScalarValue._dictionary(scalars) { ScalarValue($0) }, step: step, filePath: filePath)
    }

    /// Stores integer scalars at `step`; a `Dictionary` has no order, so the keys are stored sorted.
    @_disfavoredOverload
    public func addScalars<T: BinaryInteger>(_ scalars: [String: T], step: Int = 0, filePath: String? = nil) throws {
        try addScalars(ScalarValue._dictionary(scalars) { ScalarValue($0) }, step: step, filePath: filePath)
    }
}

extension ScalarValue {
    /// The scalars of an ordered dictionary, in its order.
    package static func _dictionary<T>(
        _ values: OrderedDictionary<String, T>, _ wrap: (T) -> ScalarValue
    ) -> ScalarDictionary {
        values.mapValues(wrap)
    }

    /// The scalars of a dictionary, keys sorted (a `Dictionary`'s own order changes from run to run).
    package static func _dictionary<T>(_ values: [String: T], _ wrap: (T) -> ScalarValue) -> ScalarDictionary {
        ScalarDictionary(uniqueKeysWithValues: values.sorted { $0.key < $1.key }.map { ($0.key, wrap($0.value)) })
    }
}
