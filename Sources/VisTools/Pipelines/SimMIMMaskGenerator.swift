import Foundation
import VisCore

/// SimMIM's mask generator: `ceil(ratio · n²)` of the n×n mask patches (`n = inputSize / maskPatchSize`) drawn
/// without replacement and removed, then repeated to the model's patch grid (`inputSize / modelPatchSize`).
public struct SimMIMMaskGenerator: Sendable, Equatable {
    /// The input side in pixels (SimMIM's default 192).
    public var inputSize: Int
    /// The side of a masked patch in pixels (default 32).
    public var maskPatchSize: Int
    /// The model's patch side in pixels (default 4).
    public var modelPatchSize: Int
    /// The fraction of mask patches removed (default 0.6).
    public var maskRatio: Double

    /// A generator with SimMIM's parameters.
    ///
    /// - Throws: ``ReconstructionError/invalidArgument(argument:expected:actual:)`` when the sizes do not divide
    ///   each other or the ratio is outside [0, 1].
    public init(inputSize: Int = 192, maskPatchSize: Int = 32, modelPatchSize: Int = 4, maskRatio: Double = 0.6) throws {
        guard inputSize > 0, maskPatchSize > 0, modelPatchSize > 0, inputSize % maskPatchSize == 0,
            maskPatchSize % modelPatchSize == 0
        else {
            throw ReconstructionError.invalidArgument(
                argument: "mask_patch_size", expected: "a divisor of input_size and a multiple of model_patch_size",
                actual: "input_size \(inputSize), mask_patch_size \(maskPatchSize), model_patch_size \(modelPatchSize)")
        }
        guard maskRatio >= 0, maskRatio <= 1 else {
            throw ReconstructionError.invalidArgument(argument: "mask_ratio", expected: "a number in [0, 1]", actual: "\(maskRatio)")
        }
        self.inputSize = inputSize
        self.maskPatchSize = maskPatchSize
        self.modelPatchSize = modelPatchSize
        self.maskRatio = maskRatio
    }

    /// The number of mask patches removed per draw.
    public var maskCount: Int {
        let side = inputSize / maskPatchSize
        return Int((Double(side * side) * maskRatio).rounded(.up))
    }

    /// One mask on the model's patch grid, row-major, 1 = removed.
    public func generate(using generator: inout SplitMix64) -> (side: Int, values: [Float]) {
        let side = inputSize / maskPatchSize
        let scale = maskPatchSize / modelPatchSize
        var coarse = [Float](repeating: 0, count: side * side)
        for index in Array(0..<(side * side)).shuffled(using: &generator).prefix(maskCount) { coarse[index] = 1 }
        let fine = side * scale
        var values = [Float](repeating: 0, count: fine * fine)
        for y in 0..<fine {
            for x in 0..<fine { values[y * fine + x] = coarse[(y / scale) * side + x / scale] }
        }
        return (fine, values)
    }
}
