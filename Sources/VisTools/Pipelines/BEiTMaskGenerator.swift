import Foundation
import VisCore

/// BEiT's block-wise mask generator: rectangles of `min_num_patches` or more patches with a log-uniform aspect
/// ratio, each drawn up to 10 times until it adds new patches without exceeding the budget, until
/// `num_masking_patches` are removed or a rectangle can add none.
public struct BEiTMaskGenerator: Sendable, Equatable {
    /// The patch grid's side (BEiT's default 14 for 224-pixel inputs and 16-pixel patches).
    public var inputSize: Int
    /// The number of patches to remove (default 75).
    public var numMaskingPatches: Int
    /// The smallest rectangle area in patches (default 16).
    public var minNumPatches: Int
    /// The largest rectangle area (default `numMaskingPatches`).
    public var maxNumPatches: Int
    /// The aspect-ratio range of a rectangle (default 0.3…1/0.3).
    public var aspect: ClosedRange<Double>

    /// A generator with BEiT's parameters.
    ///
    /// - Throws: ``ReconstructionError/invalidArgument(argument:expected:actual:)`` for a budget larger than the
    ///   grid, a non-positive size or an aspect range that is not positive.
    public init(
        inputSize: Int = 14, numMaskingPatches: Int = 75, minNumPatches: Int = 16, maxNumPatches: Int? = nil,
        minAspect: Double = 0.3, maxAspect: Double? = nil
    ) throws {
        guard inputSize > 0, inputSize <= 1024 else {
            throw ReconstructionError.invalidArgument(argument: "input_size", expected: "an integer in 1...1024", actual: "\(inputSize)")
        }
        guard numMaskingPatches >= 0, numMaskingPatches <= inputSize * inputSize else {
            throw ReconstructionError.invalidArgument(
                argument: "num_masking_patches", expected: "at most \(inputSize * inputSize) patches",
                actual: "\(numMaskingPatches)")
        }
        let maxAspect = maxAspect ?? 1 / minAspect
        guard minAspect > 0, minAspect <= maxAspect, maxAspect.isFinite else {
            throw ReconstructionError.invalidArgument(
                argument: "min_aspect", expected: "0 < min_aspect ≤ max_aspect", actual: "\(minAspect), \(maxAspect)")
        }
        self.inputSize = inputSize
        self.numMaskingPatches = numMaskingPatches
        self.minNumPatches = minNumPatches
        self.maxNumPatches = maxNumPatches ?? numMaskingPatches
        self.aspect = minAspect...maxAspect
    }

    /// One mask, row-major over the `inputSize`×`inputSize` grid, 1 = removed.
    public func generate(using generator: inout SplitMix64) -> [Float] {
        var mask = [Float](repeating: 0, count: inputSize * inputSize)
        var count = 0
        while count < numMaskingPatches {
            let added = addBlock(to: &mask, budget: Swift.min(numMaskingPatches - count, maxNumPatches), using: &generator)
            if added == 0 { break }
            count += added
        }
        return mask
    }

    private func addBlock(to mask: inout [Float], budget: Int, using generator: inout SplitMix64) -> Int {
        var added = 0
        let logAspect = log(aspect.lowerBound)...log(aspect.upperBound)
        for _ in 0..<10 {
            let low = Double(minNumPatches)
            let target = Double(budget) >= low
                ? Double.random(in: low...Double(budget), using: &generator)
                : Double.random(in: Double(budget)...low, using: &generator)
            let ratio = exp(Double.random(in: logAspect, using: &generator))
            let h = Int((target * ratio).squareRoot().rounded(.toNearestOrEven))
            let w = Int((target / ratio).squareRoot().rounded(.toNearestOrEven))
            if w < inputSize && h < inputSize {
                let top = Int.random(in: 0...(inputSize - h), using: &generator)
                let left = Int.random(in: 0...(inputSize - w), using: &generator)
                var masked = 0
                for y in top..<(top + h) { for x in left..<(left + w) where mask[y * inputSize + x] == 1 { masked += 1 } }
                let fresh = h * w - masked
                if fresh > 0 && fresh <= budget {
                    for y in top..<(top + h) {
                        for x in left..<(left + w) where mask[y * inputSize + x] == 0 {
                            mask[y * inputSize + x] = 1
                            added += 1
                        }
                    }
                }
                if added > 0 { break }
            }
        }
        return added
    }
}
