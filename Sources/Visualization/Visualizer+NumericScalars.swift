import VisBackends

/// Scalars from variables of any numeric type (`let loss: Float = …; visualizer.addScalar(name: "loss",
/// value: loss)`), as for backends (see `VisBackend`'s numeric overloads): integers are stored as integers,
/// floating-point numbers as floats, and literals still become `ScalarValue`s element by element.
extension Visualizer {
    /// Stores a floating-point scalar (`Double`, `Float`, …) in every backend.
    @_disfavoredOverload
    @discardableResult
    public func addScalar<T: BinaryFloatingPoint>(name: String, value: T, step: Int = 0) -> Visualizer {
        addScalar(name: name, value: ScalarValue(value), step: step)
    }

    /// Stores an integer scalar (`Int`, `Int32`, `UInt8`, …) in every backend.
    @_disfavoredOverload
    @discardableResult
    public func addScalar<T: BinaryInteger>(name: String, value: T, step: Int = 0) -> Visualizer {
        addScalar(name: name, value: ScalarValue(value), step: step)
    }

    /// Stores floating-point scalars at one step in every backend, in the dictionary's order.
    @_disfavoredOverload
    @discardableResult
    public func addScalars<T: BinaryFloatingPoint>(
        _ scalars: OrderedDictionary<String, T>, step: Int = 0, filePath: String? = nil
    ) -> Visualizer {
        addScalars(ScalarValue._dictionary(scalars) { ScalarValue($0) }, step: step, filePath: filePath)
    }

    /// Stores integer scalars at one step in every backend, in the dictionary's order.
    @_disfavoredOverload
    @discardableResult
    public func addScalars<T: BinaryInteger>(
        _ scalars: OrderedDictionary<String, T>, step: Int = 0, filePath: String? = nil
    ) -> Visualizer {
        addScalars(ScalarValue._dictionary(scalars) { ScalarValue($0) }, step: step, filePath: filePath)
    }

    /// Stores floating-point scalars at one step in every backend; a `Dictionary` has no order, so the keys are
    /// stored sorted.
    @_disfavoredOverload
    @discardableResult
    public func addScalars<T: BinaryFloatingPoint>(
        _ scalars: [String: T], step: Int = 0, filePath: String? = nil
    ) -> Visualizer {
        addScalars(ScalarValue._dictionary(scalars) { ScalarValue($0) }, step: step, filePath: filePath)
    }

    /// Stores integer scalars at one step in every backend; a `Dictionary` has no order, so the keys are stored
    /// sorted.
    @_disfavoredOverload
    @discardableResult
    public func addScalars<T: BinaryInteger>(
        _ scalars: [String: T], step: Int = 0, filePath: String? = nil
    ) -> Visualizer {
        addScalars(ScalarValue._dictionary(scalars) { ScalarValue($0) }, step: step, filePath: filePath)
    }
}
