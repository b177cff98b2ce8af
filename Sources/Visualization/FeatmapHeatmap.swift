import CVisKernels
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
        try _Heatmap.checkNumeric(map, argument: "map")
        try _Heatmap.checkFinite(map, argument: "map")
        try _Heatmap.checkAlpha(alpha)
        let image = try overlaidImage.map { try _Heatmap.rgb($0) }
        if let image, image.width != width || image.height != height {
            throw FeatmapError.invalidArgument(
                argument: "overlaidImage", expected: "the map's size \(height)×\(width) (H×W)",
                actual: "\(image.height)×\(image.width)")
        }
        let painter = _Heatmap.Painter(image: image, alpha: alpha, colormap: colormap)
        if case .float64(let values) = map.storage {
            return try _Heatmap.render(values, planes: planes, height: height, width: width, painter: painter, argument: "map")
        }
        return try _Heatmap.render(
            map.toFloat32(), planes: planes, height: height, width: width, painter: painter, argument: "map")
    }
}

/// The steps of MMEngine's heatmap and the argument checks shared by the feature-map entry points.
enum _Heatmap {
    /// Normalises `values` (`planes` = 1 or 3 planes of `height`×`width`), colours them, and blends them over
    /// the painter's image, in one pass over the pixels for one plane. A NaN or infinity among the values of
    /// one plane is reported as ``FeatmapError/nonFiniteValues(argument:index:)`` naming `argument` (the caller
    /// checks three planes).
    static func render<T: _TorchFloat>(
        _ values: [T], planes: Int, height: Int, width: Int, painter: Painter, argument: String
    ) throws -> Image {
        var finite = true
        let pixels = [UInt8](unsafeUninitializedCapacity: height * width * 3) { output, initialized in
            values.withUnsafeBufferPointer { values in
                if planes == 3 {
                    let gray = openCVGray(_MinMaxNormalizer<T>.levels(of: Array(values)), pixels: height * width)
                    gray.withUnsafeBufferPointer { gray in
                        painter.paint(_Intensities(gray), width: width, height: height, into: output, outputWidth: width, at: (0, 0))
                    }
                } else if let plane = _NormalizedPlane(finite: values) {
                    painter.paint(plane, width: width, height: height, into: output, outputWidth: width, at: (0, 0))
                } else {
                    finite = false
                }
            }
            initialized = finite ? height * width * 3 : 0
        }
        guard finite else { throw FeatmapError.nonFiniteValues(argument: argument, index: nil) }
        return try Image(width: width, height: height, layout: .rgb, pixels: pixels)
    }

    /// Colours intensities and blends them over an image (`cv2.addWeighted(image, 1 − alpha, heat, alpha, 0)`
    /// for `uint8`: the weights rounded to `Float`, `fma(image, 1 − alpha, heat·alpha)`, rounded half to even and
    /// saturated — verified against OpenCV 5.0 for every pair of samples and several alphas), writing straight
    /// into the output.
    struct Painter: Sendable {
        /// The RGB image of the heatmap's size to blend over, or `nil`.
        let image: Image?
        let colormap: Colormap
        /// The blend's weights, as OpenCV rounds them.
        let imageWeight: Float
        let heatWeight: Float
        /// The colours packed `R | G << 8 | B << 16`, for the vector kernels.
        let packedColors: [UInt32]
        /// Without the vector kernels and with an image, the blended sample of every channel, level and image
        /// sample, `table[channel << 16 | level << 8 | image]` (192 KiB): the colour lookup composed with the
        /// blend, so a pixel costs one lookup per sample.
        let blend: [UInt8]

        /// Whether rows are painted by the vector kernels (`vis_color_row`, `vis_blend_row`).
        let vectorized: Bool

        /// `vectorized` selects the vector kernels (for their differential tests; the default is the fastest).
        init(image: Image?, alpha: Double, colormap: Colormap, vectorized: Bool = _VectorKernels.available) {
            self.vectorized = vectorized
            self.image = image
            self.colormap = colormap
            imageWeight = Float(1 - alpha)
            heatWeight = Float(alpha)
            packedColors = (0..<256).map { level in
                let rgb = colormap.rgbTable[(level * 3)..<(level * 3 + 3)].map(UInt32.init)
                return rgb[0] | rgb[1] << 8 | rgb[2] << 16
            }
            guard image != nil, !vectorized else {
                blend = []
                return
            }
            let (imageWeight, heatWeight) = (self.imageWeight, self.heatWeight)
            // `pairs[heat << 8 | image]`: the blend of every pair of samples.
            let pairs = [UInt8](unsafeUninitializedCapacity: 65536) { table, initialized in
                for heatSample in 0..<256 {
                    for imageSample in 0..<256 {
                        let value = Float._fusedMultiplyAdd(Float(imageSample), imageWeight, Float(heatSample) * heatWeight)
                            .rounded(.toNearestOrEven)
                        table[heatSample << 8 | imageSample] = UInt8(min(max(value, 0), 255))
                    }
                }
                initialized = 65536
            }
            blend = [UInt8](unsafeUninitializedCapacity: 3 << 16) { table, initialized in
                pairs.withUnsafeBufferPointer { pairs in
                    colormap.rgbTable.withUnsafeBufferPointer { colors in
                        for channel in 0..<3 {
                            for level in 0..<256 {
                                let heat = Int(colors[level * 3 + channel]) << 8
                                let start = channel << 16 | level << 8
                                for imageSample in 0..<256 { table[start + imageSample] = pairs[heat + imageSample] }
                            }
                        }
                    }
                }
                initialized = 3 << 16
            }
        }

        /// Paints the `width`×`height` heatmap of `source` into the RGB `output` (rows of `outputWidth` pixels)
        /// with its top-left corner at `origin`. Large heatmaps are painted on all cores.
        func paint<Source: _HeatmapSource>(
            _ source: Source, width: Int, height: Int, into output: UnsafeMutableBufferPointer<UInt8>, outputWidth: Int,
            at origin: (x: Int, y: Int)
        ) {
            let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, height, width * height / (1 << 18)))
            let target = _SharedPointer(output)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                paintRows(
                    (height * worker / workers)..<(height * (worker + 1) / workers), of: source, width: width,
                    into: target.value, outputWidth: outputWidth, at: origin)
            }
        }

        private func paintRows<Source: _HeatmapSource>(
            _ rows: Range<Int>, of source: Source, width: Int, into output: UnsafeMutableBufferPointer<UInt8>,
            outputWidth: Int, at origin: (x: Int, y: Int)
        ) {
            // One row's intensities at a time, computed in one pass before they are painted.
            let rowIntensities = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: width)
            defer { rowIntensities.deallocate() }
            if vectorized, let levels = rowIntensities.baseAddress, let target = output.baseAddress {
                packedColors.withUnsafeBufferPointer { colors in
                    let colors = colors.baseAddress.unsafelyUnwrapped
                    for row in rows {
                        let start = target + ((origin.y + row) * outputWidth + origin.x) * 3
                        source.intensities(from: row * width, into: rowIntensities)
                        guard let image else {
                            vis_color_row(levels, colors, start, width)
                            continue
                        }
                        image.pixels.withUnsafeBufferPointer { samples in
                            vis_blend_row(
                                levels, colors, samples.baseAddress.unsafelyUnwrapped + row * width * 3, imageWeight,
                                heatWeight, start, width)
                        }
                    }
                }
                return
            }
            colormap.rgbTable.withUnsafeBufferPointer { colors in
                guard let image else {
                    for row in rows {
                        var target = ((origin.y + row) * outputWidth + origin.x) * 3
                        source.intensities(from: row * width, into: rowIntensities)
                        for column in 0..<width {
                            let entry = Int(rowIntensities[column]) * 3
                            output[target] = colors[entry]
                            output[target + 1] = colors[entry + 1]
                            output[target + 2] = colors[entry + 2]
                            target += 3
                        }
                    }
                    return
                }
                blend.withUnsafeBufferPointer { blend in
                    image.pixels.withUnsafeBufferPointer { samples in
                        for row in rows {
                            var target = ((origin.y + row) * outputWidth + origin.x) * 3
                            var sample = row * width * 3
                            source.intensities(from: row * width, into: rowIntensities)
                            for column in 0..<width {
                                let entry = Int(rowIntensities[column]) << 8
                                output[target] = blend[entry | Int(samples[sample])]
                                output[target + 1] = blend[1 << 16 | entry | Int(samples[sample + 1])]
                                output[target + 2] = blend[2 << 16 | entry | Int(samples[sample + 2])]
                                target += 3
                                sample += 3
                            }
                        }
                    }
                }
            }
        }
    }

    /// OpenCV's `cvtColor(BGR2GRAY)` for `uint8`: 15-bit fixed-point weights, rounded (verified against OpenCV
    /// 5.0 for all 2^24 colours). `planar` holds the three planes one after another.
    static func openCVGray(_ planar: [UInt8], pixels: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: pixels) { gray, initialized in
            planar.withUnsafeBufferPointer { input in
                for index in 0..<pixels {
                    let blue = 3735 * Int(input[index])
                    let green = 19235 * Int(input[pixels + index])
                    let red = 9798 * Int(input[2 * pixels + index])
                    gray[index] = UInt8((blue + green + red + (1 << 14)) >> 15)
                }
            }
            initialized = pixels
        }
    }

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
        let index: Int?
        switch map.storage {
        case .float32(let values):
            // The vector range check first: finite maps (the rule) are then not searched one value at a time.
            let finite = values.withUnsafeBufferPointer { _MinMaxNormalizer<Float>._finiteRange($0) != nil }
            index = finite ? nil : values.firstIndex { !$0.isFinite }
        case .float64(let values): index = values.firstIndex { !$0.isFinite }
        default: index = nil
        }
        if let index { throw FeatmapError.nonFiniteValues(argument: argument, index: index) }
    }

    /// A finite `alpha` whose blend stays finite in `Float` arithmetic (beyond 1e30 every sample saturates anyway).
    static func checkAlpha(_ alpha: Double) throws {
        guard alpha.isFinite, abs(alpha) <= 1e30 else {
            throw FeatmapError.invalidArgument(
                argument: "alpha", expected: "a finite number of magnitude at most 1e30", actual: "\(alpha)")
        }
    }
}

/// The intensities (0…255) of a heatmap's pixels, by flat index.
protocol _HeatmapSource: Sendable {
    /// The intensities of the pixels `start ..< start + output.count`, written to `output`.
    func intensities(from start: Int, into output: UnsafeMutableBufferPointer<UInt8>)
}

/// A finite plane's min-max normalised, truncated levels, computed as they are painted (all 0 for a constant plane).
struct _NormalizedPlane<T: _TorchFloat>: _HeatmapSource, @unchecked Sendable {
    let values: UnsafeBufferPointer<T>
    let normalizer: _MinMaxNormalizer<T>

    /// The plane of finite `values`; `nil` when one is NaN or infinite (or there are none).
    init?(finite values: UnsafeBufferPointer<T>) {
        guard let range = _MinMaxNormalizer<T>._finiteRange(values) else { return nil }
        self.values = values
        normalizer = _MinMaxNormalizer(minimum: range.minimum, maximum: range.maximum)
    }

    @inline(__always)
    func intensities(from start: Int, into output: UnsafeMutableBufferPointer<UInt8>) {
        normalizer._levels(UnsafeBufferPointer(rebasing: values[start..<(start + output.count)]), into: output)
    }
}

/// The levels of a channel resized row by row, computed as they are painted (whole rows only).
struct _ResizedRows<T: _TorchFloat>: _HeatmapSource {
    let rows: _TorchBilinearRows<T>
    let normalizer: _MinMaxNormalizer<T>

    @inline(__always)
    func intensities(from start: Int, into output: UnsafeMutableBufferPointer<UInt8>) {
        rows.levels(row: start / rows.resize.outWidth, normalizer: normalizer, into: output)
    }
}

/// Intensities already computed (the gray of a 3-plane map).
struct _Intensities: _HeatmapSource, @unchecked Sendable {
    let values: UnsafeBufferPointer<UInt8>

    init(_ values: UnsafeBufferPointer<UInt8>) { self.values = values }

    @inline(__always)
    func intensities(from start: Int, into output: UnsafeMutableBufferPointer<UInt8>) {
        _ = output.initialize(from: values[start..<(start + output.count)])
    }
}
