import Foundation

extension Visualizer {
    /// Colours a map as a heatmap and blends it over an image: MMEngine's `convert_overlay_heatmap`, the last
    /// step of ``drawFeatmap(_:overlaidImage:channelReduction:topk:arrangement:resizeShape:alpha:colormap:warningHandler:)``.
    ///
    /// 1. The whole map is min-max normalised to 0…255 and truncated to `uint8`
    ///    (a constant map becomes all 0).
    /// 2. A 3-channel map is turned into one intensity as OpenCV's `applyColorMap` does, with its `BGR2GRAY`
    ///    fixed-point weights and channel 0 read as blue: `(3735·c0 + 19235·c1 + 9798·c2 + 2^14) >> 15`.
    /// 3. `colormap` colours the intensities (OpenCV JET by default).
    /// 4. With an image: `round((1 − alpha)·image + alpha·heat)` per sample, saturated — OpenCV's
    ///    `addWeighted` to the bit (`float` weights, a fused multiply-add, round half to even).
    ///
    /// ```swift
    /// let heat = try Visualizer.convertOverlayHeatmap(try NDArray([[0, 1], [2, 3]]))
    /// heat[1, 0]   // [0, 212, 255]: the pixel at x 1, y 0
    /// ```
    ///
    /// - Parameters:
    ///   - map: H×W, or 1×H×W / 3×H×W, of any numeric dtype (`float64` is computed in `Double`, everything
    ///     else in `Float`).
    ///   - overlaidImage: An RGB or gray image of the map's size, or `nil` for the heatmap alone.
    ///   - alpha: The heatmap's weight in the blend (finite, at most 1e30 in magnitude; values outside 0…1
    ///     extrapolate and saturate).
    ///   - colormap: The colour table.
    /// - Returns: An H×W RGB image.
    /// - Throws: ``FeatmapError/invalidArgument(argument:expected:actual:)`` naming `map` for another shape, an
    ///   empty map or a `bool` map, `overlaidImage` for a size other than the map's, `alpha` when not finite or
    ///   beyond ±1e30;
    ///   ``FeatmapError/unsupportedOverlaidImage(layout:)`` for an RGBA image;
    ///   ``FeatmapError/nonFiniteValues(argument:index:)`` for NaN or infinity in the map.
    public static func convertOverlayHeatmap(
        _ map: NDArray, overlaidImage: Image? = nil, alpha: Double = 0.5, colormap: Colormap = .jet
    ) throws -> Image {
        let planes: Int
        switch map.shape.count {
        case 2: planes = 1
        case 3 where map.shape[0] == 1 || map.shape[0] == 3: planes = map.shape[0]
        default:
            throw FeatmapError.invalidArgument(
                argument: "map", expected: "H×W, 1×H×W or 3×H×W", actual: "shape \(map.shape)")
        }
        let (height, width) = (map.shape[map.rank - 2], map.shape[map.rank - 1])
        guard height > 0, width > 0 else {
            throw FeatmapError.invalidArgument(argument: "map", expected: "a non-empty map", actual: "shape \(map.shape)")
        }
        try _FeatmapArguments.checkNumeric(map, argument: "map")
        try _FeatmapArguments.checkFinite(map, argument: "map")
        try _FeatmapArguments.checkAlpha(alpha)
        let image = try overlaidImage.map { try _FeatmapArguments.rgb($0) }
        if let image, image.width != width || image.height != height {
            throw FeatmapError.invalidArgument(
                argument: "overlaidImage", expected: "the map's size \(height)×\(width) (H×W)",
                actual: "\(image.height)×\(image.width)")
        }
        let heatmap = try FeatmapPipeline.heatmap(
            map, planes: planes, height: height, width: width, image: image, alpha: alpha, colormap: colormap)
        guard let heatmap else { throw FeatmapError.nonFiniteValues(argument: "map", index: nil) }
        return heatmap
    }
}

/// The argument checks shared by the feature-map entry points.
enum _FeatmapArguments {
    /// The image as RGB: gray is replicated (MMEngine's `GRAY2RGB`); RGBA is refused.
    static func rgb(_ image: Image) throws -> Image {
        switch image.layout {
        case .rgb: return image
        case .gray: return image.converted(to: .rgb)
        case .rgba: throw FeatmapError.unsupportedOverlaidImage(layout: image.layout)
        }
    }

    static func checkNumeric(_ map: NDArray, argument: String) throws {
        guard map.dtype != .bool else {
            throw FeatmapError.invalidArgument(argument: argument, expected: "a numeric (float or int) dtype", actual: "bool")
        }
    }

    /// Refuses NaN and infinity, naming the first offending flat index.
    static func checkFinite(_ map: NDArray, argument: String) throws {
        if let index = FeatmapPipeline.firstNonFiniteIndex(in: map) {
            throw FeatmapError.nonFiniteValues(argument: argument, index: index)
        }
    }

    /// A finite `alpha` whose blend stays finite in `Float` arithmetic (beyond 1e30 every sample saturates anyway).
    static func checkAlpha(_ alpha: Double) throws {
        guard alpha.isFinite, abs(alpha) <= 1e30 else {
            throw FeatmapError.invalidArgument(
                argument: "alpha", expected: "a finite number of magnitude at most 1e30", actual: "\(alpha)")
        }
    }
}
