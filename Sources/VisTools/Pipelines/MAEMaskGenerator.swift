import VisCore

/// MAE's random patch masking (`MAEViT.random_masking`): one uniform noise value per patch, the
/// `Int(L · (1 − maskRatio))` patches with the lowest noise kept and the rest removed, so every mask removes
/// exactly the same number of patches.
///
/// MMSelfSup draws this mask inside the model; as a pipeline entry (`{type: MAEMaskGenerator, patch_size: 16,
/// mask_ratio: 0.75}`, the parameter names of `MAEViT`) it is drawn on the view's patch grid so that a preset's
/// output carries the mask its model would use.
public struct MAEMaskGenerator: Sendable, Equatable {
    /// The patch side in pixels (MAE ViT-B/16: 16).
    public var patchSize: Int
    /// The fraction of patches removed (default 0.75), in [0, 1).
    public var maskRatio: Double

    /// A generator with MAE's parameters.
    ///
    /// - Throws: ``ReconstructionError/invalidArgument(argument:expected:actual:)`` naming `patch_size` when not in
    ///   1...1024 or `mask_ratio` when outside [0, 1).
    public init(patchSize: Int = 16, maskRatio: Double = 0.75) throws {
        guard patchSize > 0, patchSize <= 1024 else {
            throw ReconstructionError.invalidArgument(argument: "patch_size", expected: "an integer in 1...1024", actual: "\(patchSize)")
        }
        guard maskRatio.isFinite, maskRatio >= 0, maskRatio < 1 else {
            throw ReconstructionError.invalidArgument(argument: "mask_ratio", expected: "a number in [0, 1)", actual: "\(maskRatio)")
        }
        self.patchSize = patchSize
        self.maskRatio = maskRatio
    }

    /// The number of patches kept out of `count`, as MAE computes it.
    public func keptCount(of count: Int) -> Int { Int(Double(count) * (1 - maskRatio)) }

    /// One mask over `count` patches (row-major over the grid), 1 = removed.
    public func generate(patches count: Int, using generator: inout SplitMix64) -> [Float] {
        let noise = (0..<count).map { _ in Double.random(in: 0..<1, using: &generator) }
        // A stable order, as `argsort` of distinct noise values: ties (vanishingly rare) keep the lower index.
        let order = (0..<count).sorted { noise[$0] < noise[$1] || (noise[$0] == noise[$1] && $0 < $1) }
        var mask = [Float](repeating: 1, count: count)
        for index in order.prefix(keptCount(of: count)) { mask[index] = 0 }
        return mask
    }
}
