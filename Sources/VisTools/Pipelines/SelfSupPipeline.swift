import Foundation
import VisBackends
import VisCore

/// An MMSelfSup data pipeline: a list of ``SelfSupTransform``s run on an image, seeded, producing one view or
/// several (`MultiView`).
///
/// ```swift
/// let pipeline = try SelfSupPipeline(config: try Config(contentsOfFile: "pipeline.yaml"), key: "pipeline")
/// let views = try pipeline.views(of: image, seed: 0)
/// ```
public struct SelfSupPipeline: Sendable, Equatable, Decodable {
    /// The transforms in order.
    public var transforms: [SelfSupTransform]

    /// Whether `MultiView`'s views are made on several threads at once. The views are the same either way: each
    /// view draws from a generator of its own, seeded before any view is made.
    public var concurrentViews = true

    /// A pipeline of `transforms`.
    public init(transforms: [SelfSupTransform]) { self.transforms = transforms }

    /// Decodes the list of `{type: ..., ...}` entries.
    public init(from decoder: any Decoder) throws {
        transforms = try [SelfSupTransform](from: decoder)
    }

    /// The pipeline under `key` of a loaded config.
    ///
    /// - Throws: `ConfigDecodingError` naming the entry at fault (`pipeline[1].prob`).
    public init(config: Config, key: String) throws {
        guard let value = config.values[key] else {
            throw ConfigDecodingError(.missing, path: [.key(key)], expected: "a list of transforms", actual: "nothing")
        }
        self = try ConfigValueDecoder().decode(SelfSupPipeline.self, from: value, codingPath: [.key(key)])
    }

    /// The views of `image`: one, or those `MultiView` makes, with random choices drawn from `seed` so that a run
    /// can be reproduced.
    public func views(of image: Image, seed: UInt64) throws -> [Image] {
        try sample(of: image, seed: seed).views
    }

    /// The views of `image` and the mask a mask generator in the pipeline drew, with random choices drawn from
    /// `seed` so that a run can be reproduced bit for bit.
    ///
    /// - Throws: `VisCoreError` when a crop does not fit the image or a view's size does not divide into
    ///   `MAEMaskGenerator`'s patches.
    public func sample(of image: Image, seed: UInt64) throws -> SelfSupSample {
        var generator = SplitMix64(seed: seed)
        var sample = SelfSupSample(views: [image], mask: nil)
        try Self.run(transforms, on: &sample, using: &generator, concurrently: concurrentViews)
        return sample
    }

    private static func run(
        _ transforms: [SelfSupTransform], on sample: inout SelfSupSample, using generator: inout SplitMix64,
        concurrently: Bool
    ) throws {
        for transform in transforms {
            switch transform {
            case let .multiView(counts, pipelines):
                // One branch per output view, each with a generator seeded from this one in order, so that the
                // branches are independent and may run at once.
                var branches: [(view: Image, pipeline: [SelfSupTransform], seed: UInt64)] = []
                for view in sample.views {
                    for (count, pipeline) in zip(counts, pipelines) {
                        for _ in 0..<count { branches.append((view, pipeline, generator.next())) }
                    }
                }
                let incoming = sample.mask
                let runBranch: @Sendable (Int) throws -> SelfSupSample = { [branches] index in
                    let branch = branches[index]
                    var branchGenerator = SplitMix64(seed: branch.seed)
                    var result = SelfSupSample(views: [branch.view], mask: incoming)
                    try run(branch.pipeline, on: &result, using: &branchGenerator, concurrently: false)
                    return result
                }
                let results: [SelfSupSample]
                if concurrently && branches.count > 1 && ProcessInfo.processInfo.activeProcessorCount > 1 {
                    let slots = LockedValue([Result<SelfSupSample, any Error>?](repeating: nil, count: branches.count))
                    DispatchQueue.concurrentPerform(iterations: branches.count) { index in
                        let result = Result { try runBranch(index) }
                        slots.withLock { $0[index] = result }
                    }
                    results = try slots.withLock { $0 }.map { slot in
                        guard let slot else {
                            throw VisCoreError.invalidArgument(
                                argument: "transforms", expected: "every MultiView branch run", actual: "a branch missing")
                        }
                        return try slot.get()
                    }
                } else {
                    results = try branches.indices.map(runBranch)
                }
                sample.views = results.flatMap(\.views)
                // The last mask a branch drew, as running the branches in order would leave it.
                sample.mask = results.last { $0.mask != incoming }?.mask ?? incoming
            case let .randomResizedCropTwoPic(size, secondSize, scale, ratio, interpolation, secondInterpolation):
                sample.views = try sample.views.flatMap { view -> [Image] in
                    let box = SelfSupTransform.randomResizedCropBox(
                        width: view.width, height: view.height, scale: scale, ratio: ratio, using: &generator)
                    let crop = try view.cropped(x: box.x, y: box.y, width: box.width, height: box.height)
                    return [
                        try crop.pillowResized(width: size, height: size, filter: interpolation),
                        try crop.pillowResized(width: secondSize, height: secondSize, filter: secondInterpolation),
                    ]
                }
            case let .simMIMMask(masking):
                let mask = masking.generate(using: &generator)
                sample.mask = SelfSupMask(height: mask.side, width: mask.side, values: mask.values)
            case let .beitMask(masking):
                sample.mask = SelfSupMask(
                    height: masking.inputSize, width: masking.inputSize, values: masking.generate(using: &generator))
            case let .maeMask(masking):
                let view = sample.views[0]
                guard view.width % masking.patchSize == 0, view.height % masking.patchSize == 0 else {
                    throw VisCoreError.invalidArgument(
                        argument: "patch_size", expected: "a divisor of the view's \(view.width)×\(view.height)",
                        actual: "\(masking.patchSize)")
                }
                let (rows, columns) = (view.height / masking.patchSize, view.width / masking.patchSize)
                sample.mask = SelfSupMask(
                    height: rows, width: columns, values: masking.generate(patches: rows * columns, using: &generator))
            default:
                for index in sample.views.indices { try transform._apply(&sample.views[index], using: &generator) }
            }
        }
    }
}

/// What a ``SelfSupPipeline`` makes of one image: its views and, for masked-image modelling, the patch mask.
public struct SelfSupSample: Sendable, Equatable {
    /// The views in order: one, the `MultiView` views, or BEiT's input and tokenizer target.
    public var views: [Image]
    /// The mask a mask generator drew, or `nil` when the pipeline has none.
    public var mask: SelfSupMask?

    /// A sample of `views` and `mask`.
    public init(views: [Image], mask: SelfSupMask?) {
        self.views = views
        self.mask = mask
    }
}

/// A patch mask: `height`×`width` patches, row-major, 1 = removed (MMSelfSup's convention).
public struct SelfSupMask: Sendable, Equatable {
    /// Patch rows.
    public var height: Int
    /// Patch columns.
    public var width: Int
    /// One value per patch, 0 = kept, 1 = removed.
    public var values: [Float]

    /// A mask of `values` over `height`×`width` patches.
    public init(height: Int, width: Int, values: [Float]) {
        self.height = height
        self.width = width
        self.values = values
    }

    /// The number of removed patches.
    public var removedCount: Int { values.reduce(0) { $0 + ($1 == 1 ? 1 : 0) } }
}
