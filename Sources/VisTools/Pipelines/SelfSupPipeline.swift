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
        var generator = SplitMix64(seed: seed)
        return try Self.run(transforms, on: [image], using: &generator)
    }

    private static func run(
        _ transforms: [SelfSupTransform], on views: [Image], using generator: inout SplitMix64
    ) throws -> [Image] {
        var views = views
        for transform in transforms {
            if case let .multiView(counts, pipelines) = transform {
                var expanded: [Image] = []
                for view in views {
                    for (count, pipeline) in zip(counts, pipelines) {
                        for _ in 0..<count { expanded += try run(pipeline, on: [view], using: &generator) }
                    }
                }
                views = expanded
            } else {
                views = try views.map { try transform.apply($0, using: &generator) }
            }
        }
        return views
    }
}
