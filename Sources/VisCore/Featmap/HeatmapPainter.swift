import CVisKernels
import Foundation

/// The last steps of MMEngine's heatmap (`convert_overlay_heatmap`): min-max normalisation to `uint8` levels,
/// OpenCV's gray of a 3-plane map, colouring, and the blend over an image.
enum _Heatmap {
    /// Normalises `values` (`planes` = 1 or 3 planes of `height`×`width`), colours them, and blends them over
    /// the painter's image, in one pass over the pixels for one plane; `nil` when a value of one plane is NaN or
    /// infinite (three planes are checked by the caller).
    static func render<T: _TorchFloat>(
        _ values: [T], planes: Int, height: Int, width: Int, painter: Painter
    ) throws -> Image? {
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
        guard finite else { return nil }
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

    /// OpenCV's `cvtColor(BGR2GRAY)` of three planes (channel 0 read as blue), one after another in `planar`.
    static func openCVGray(_ planar: [UInt8], pixels: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: pixels) { gray, initialized in
            planar.withUnsafeBufferPointer { input in
                for index in 0..<pixels {
                    gray[index] = Color._openCVLuma(
                        blue: input[index], green: input[pixels + index], red: input[2 * pixels + index])
                }
            }
            initialized = pixels
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
