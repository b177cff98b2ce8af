import CVisKernels
import Foundation
import VisCore

/// A resampling filter of Pillow's `Image.resize` (`PIL.Image.Resampling`).
///
/// MMSelfSup's pipelines resize with Pillow (torchvision on PIL images, mmcv's `backend='pillow'`); these filters
/// reproduce its results to the byte, unlike `ResizeInterpolation`, which follows OpenCV.
public enum PillowFilter: String, Sendable, Hashable, CaseIterable {
    /// `Resampling.NEAREST`: source pixel `floor((x + 0.5) · scale)`, positions accumulated in double.
    case nearest
    /// `Resampling.BOX`: each output pixel averages the source pixels its footprint covers.
    case box
    /// `Resampling.BILINEAR`: the triangle filter, widened by the downscale factor (antialiased).
    case bilinear
    /// `Resampling.HAMMING`: a Hamming-windowed sinc of support 1.
    case hamming
    /// `Resampling.BICUBIC`: the cubic convolution kernel with `a = −0.5`, support 2.
    case bicubic
    /// `Resampling.LANCZOS`: a Lanczos-windowed sinc of support 3.
    case lanczos

    /// The filter for a name as configs spell it: `bilinear`, `Bicubic`, `LANCZOS`, … (case-insensitive);
    /// `antialias` is Pillow's old name for Lanczos.
    public init?(name: String) {
        let lowered = name.lowercased()
        if lowered == "antialias" {
            self = .lanczos
            return
        }
        self.init(rawValue: lowered)
    }
}

extension Image {
    /// The image resized to `width`×`height` with Pillow's arithmetic, equal to the byte to
    /// `PIL.Image.fromarray(img).resize((width, height), filter)`.
    ///
    /// Every filter but ``PillowFilter/nearest`` is a separable convolution in two passes, ordered as Pillow 13
    /// orders them, whose support grows with the downscale factor, with coefficients rounded to 22-bit fixed point and each pass rounded
    /// and clipped to 8 bits. RGBA images are resized with premultiplied alpha, as Pillow does.
    ///
    /// - Throws: `VisCoreError/invalidArgument(argument:expected:actual:)` naming `width` or `height`
    ///   when not positive or too large, or `image` when this image is empty.
    public func pillowResized(width: Int, height: Int, filter: PillowFilter = .bilinear) throws -> Image {
        try validateResize(width: width, height: height)
        // Pillow's kernels index with 32-bit ints; refuse what it would refuse rather than overflow.
        guard width <= 1 << 24, height <= 1 << 24 else {
            throw VisCoreError.invalidArgument(
                argument: width > 1 << 24 ? "width" : "height", expected: "at most \(1 << 24)",
                actual: "\(Swift.max(width, height))")
        }
        if width == self.width && height == self.height { return self }
        let result = try Image(width: width, height: height, layout: layout)
        if filter == .nearest {
            return _pillowNearest(into: result)
        }
        if layout == .rgba {
            let premultiplied = _PillowAlpha.premultiplied(self)
            return _PillowAlpha.unpremultiplied(try premultiplied._pillowConvolved(into: result, filter: filter))
        }
        return try _pillowResampled(
            x: 0, y: 0, width: self.width, height: self.height, to: width, height, filter: filter,
            path: Int32(VIS_RESIZE_BEST))
    }

    /// `cropped(x:y:width:height:)` then ``pillowResized(width:height:filter:)``, without the crop's copy: the
    /// resampling reads the region where it lies.
    ///
    /// - Throws: `VisCoreError` when the region is not inside the image or a size is invalid.
    public func pillowResized(
        x: Int, y: Int, regionWidth: Int, regionHeight: Int, width: Int, height: Int, filter: PillowFilter = .bilinear
    ) throws -> Image {
        guard filter != .nearest, layout != .rgba, regionWidth != width || regionHeight != height,
            x >= 0, y >= 0, regionWidth > 0, regionHeight > 0, x + regionWidth <= self.width,
            y + regionHeight <= self.height
        else {
            return try cropped(x: x, y: y, width: regionWidth, height: regionHeight)
                .pillowResized(width: width, height: height, filter: filter)
        }
        try validateResize(width: width, height: height)
        guard width <= 1 << 24, height <= 1 << 24 else {
            throw VisCoreError.invalidArgument(
                argument: width > 1 << 24 ? "width" : "height", expected: "at most \(1 << 24)",
                actual: "\(Swift.max(width, height))")
        }
        return try _pillowResampled(
            x: x, y: y, width: regionWidth, height: regionHeight, to: width, height, filter: filter,
            path: Int32(VIS_RESIZE_BEST))
    }

    /// The convolution filters' resize of the region through the C kernels on instruction `path` (a
    /// `VIS_RESIZE_*` constant), passes ordered as ``_pillowConvolved(into:filter:)`` orders them. Gray and RGB
    /// only; the region must lie inside the image and the sizes be valid.
    func _pillowResampled(
        x: Int, y: Int, width regionWidth: Int, height regionHeight: Int, to width: Int, _ height: Int,
        filter: PillowFilter, path: Int32
    ) throws -> Image {
        let channels = self.channels
        let horizontal = width == regionWidth
            ? nil : _PillowTaps(inSize: regionWidth, outSize: width, filter: filter)
        let vertical = height == regionHeight
            ? nil : _PillowTaps(inSize: regionHeight, outSize: height, filter: filter)
        let rowStride = self.width * channels
        let outStride = width * channels
        // The passes write every output byte.
        var output = [UInt8](unsafeUninitializedCapacity: height * outStride) { _, initialized in
            initialized = height * outStride
        }
        let rowsRemoved = regionHeight - height
        let verticalFirst = horizontal != nil && rowsRemoved > 0 && rowsRemoved > 2 * (regionWidth - width)
        var outOfMemory = false
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { output in
                guard let start = source.baseAddress, let target = output.baseAddress else { return }
                let region = start + y * rowStride + x * channels
                let end = start + source.count
                switch (horizontal, vertical) {
                case let (horizontal?, vertical?) where verticalFirst:
                    let middleStride = regionWidth * channels
                    // Every byte of the intermediate buffers is written before it is read.
                    let middle = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: height * middleStride)
                    defer { middle.deallocate() }
                    guard let middleStart = middle.baseAddress else { return }
                    vertical.run(
                        region, stride: rowStride, rowLength: middleStride, rowOffset: 0, into: middleStart,
                        outStride: middleStride, path: path)
                    outOfMemory = !horizontal.run(
                        UnsafePointer(middleStart), stride: middleStride, left: 0, width: regionWidth,
                        end: UnsafePointer(middleStart + middle.count), rows: height, channels: channels,
                        into: target, outStride: outStride, path: path)
                case let (horizontal?, vertical?):
                    // Only the source rows the vertical pass reads are resampled horizontally.
                    let first = vertical.firstSource
                    let rows = vertical.endSource - first
                    let middle = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: rows * outStride)
                    defer { middle.deallocate() }
                    guard let middleStart = middle.baseAddress else { return }
                    outOfMemory = !horizontal.run(
                        region + first * rowStride, stride: rowStride, left: x, width: self.width - x, end: end,
                        rows: rows, channels: channels, into: middleStart, outStride: outStride, path: path)
                    vertical.run(
                        UnsafePointer(middleStart), stride: outStride, rowLength: outStride, rowOffset: first,
                        into: target, outStride: outStride, path: path)
                case let (horizontal?, nil):
                    outOfMemory = !horizontal.run(
                        region, stride: rowStride, left: x, width: self.width - x, end: end, rows: height,
                        channels: channels, into: target, outStride: outStride, path: path)
                case let (nil, vertical?):
                    vertical.run(
                        region, stride: rowStride, rowLength: outStride, rowOffset: 0, into: target,
                        outStride: outStride, path: path)
                case (nil, nil):
                    for row in 0..<height {
                        (target + row * outStride).update(from: region + row * rowStride, count: outStride)
                    }
                }
            }
        }
        if outOfMemory {
            throw VisCoreError.invalidArgument(
                argument: "width", expected: "a size whose resampling fits in memory", actual: "\(width)")
        }
        return try Image(width: width, height: height, layout: layout, pixels: output)
    }

    /// Pillow's affine nearest-neighbour scaling: the source position starts at half a step and is advanced by
    /// repeated addition in double, so its truncation can differ from `floor((x + 0.5) · scale)` by one.
    private func _pillowNearest(into result: Image) -> Image {
        var result = result
        let channels = self.channels
        let stepX = Double(self.width) / Double(result.width)
        let stepY = Double(self.height) / Double(result.height)
        // A position that drifts past the last source pixel leaves the output pixel 0, as in Pillow.
        var columns = [Int](repeating: -1, count: result.width)
        var position = stepX * 0.5
        for x in 0..<result.width {
            if Int(position) < self.width { columns[x] = Int(position) * channels }
            position += stepX
        }
        var rowPosition = stepY * 0.5
        let outStride = result.rowStride
        let inStride = rowStride
        pixels.withUnsafeBufferPointer { input in
            result.pixels.withUnsafeMutableBufferPointer { output in
                for y in 0..<result.height {
                    let sourceIndex = Int(rowPosition)
                    rowPosition += stepY
                    guard sourceIndex < self.height else { continue }
                    let sourceRow = sourceIndex * inStride
                    var target = y * outStride
                    for column in columns {
                        guard column >= 0 else {
                            target += channels
                            continue
                        }
                        for channel in 0..<channels {
                            output[target + channel] = input[sourceRow + column + channel]
                        }
                        target += channels
                    }
                }
            }
        }
        return result
    }

    /// The convolution filters' resize in Swift: the reference the C kernels are checked against, and the RGBA
    /// path.
    func _pillowConvolved(into result: Image, filter: PillowFilter) throws -> Image {
        let channels = self.channels
        let horizontal = result.width == width ? nil : _PillowTaps(inSize: width, outSize: result.width, filter: filter)
        let vertical = result.height == height ? nil : _PillowTaps(inSize: height, outSize: result.height, filter: filter)
        var current = pixels
        var currentWidth = width
        // Pillow 13 runs the vertical pass first when it removes more than twice as many rows as the horizontal
        // pass removes columns (the cheaper order); the order changes the 8-bit rounding between the passes, so it
        // must be followed to match.
        let rowsRemoved = height - result.height
        if let vertical, let horizontal, rowsRemoved > 0, rowsRemoved > 2 * (width - result.width) {
            current = vertical.resampledColumns(current, rowLength: width * channels, rowOffset: 0)
            current = horizontal.resampledRows(
                current, rowStride: width * channels, firstRow: 0, rows: result.height, channels: channels)
            return try Image(width: result.width, height: result.height, layout: layout, pixels: current)
        }
        if let horizontal {
            // Only the source rows the vertical pass reads are resampled horizontally.
            let firstRow = vertical?.firstSource ?? 0
            let endRow = vertical?.endSource ?? height
            current = horizontal.resampledRows(
                current, rowStride: width * channels, firstRow: firstRow, rows: endRow - firstRow, channels: channels)
            currentWidth = result.width
        }
        if let vertical {
            let rowOffset = horizontal == nil ? 0 : vertical.firstSource
            current = vertical.resampledColumns(current, rowLength: currentWidth * channels, rowOffset: rowOffset)
        }
        return try Image(width: result.width, height: result.height, layout: layout, pixels: current)
    }
}

/// One pass's filter taps: for each output position, the first source index, the number of taps and their
/// 22-bit fixed-point weights (Pillow's `precompute_coeffs` then `normalize_coeffs_8bpc`).
struct _PillowTaps {
    static let precisionBits = 22
    let starts: [Int]
    let counts: [Int]
    /// `starts` and `counts` as the C kernels take them.
    let starts32: [Int32]
    let counts32: [Int32]
    let weights: [Int32]
    let stride: Int

    init(inSize: Int, outSize: Int, filter: PillowFilter) {
        // Pillow's box is given in single precision; whole sizes below 2^24 are exact in it.
        let scale = Double(Float(inSize)) / Double(outSize)
        let filterScale = Swift.max(scale, 1.0)
        let support = _PillowTaps.support(filter) * filterScale
        let stride = Int(support.rounded(.up)) * 2 + 1
        var starts = [Int](repeating: 0, count: outSize)
        var counts = [Int](repeating: 0, count: outSize)
        var starts32 = [Int32](repeating: 0, count: outSize)
        var counts32 = [Int32](repeating: 0, count: outSize)
        var weights = [Int32](repeating: 0, count: outSize * stride)
        let inverse = 1.0 / filterScale
        let one = Double(1 << _PillowTaps.precisionBits)
        withUnsafeTemporaryAllocation(of: Double.self, capacity: stride) { taps in
            weights.withUnsafeMutableBufferPointer { weights in
                for index in 0..<outSize {
                    let center = (Double(index) + 0.5) * scale
                    // C's int conversion truncates toward zero; negative starts are clamped to 0 anyway.
                    let start = Swift.max(Int(center - support + 0.5), 0)
                    let end = Swift.min(Int(center + support + 0.5), inSize)
                    // Never more than `stride` taps: the window is `2·support` wide.
                    let count = Swift.min(Swift.max(end - start, 0), stride)
                    var total = 0.0
                    for tap in 0..<count {
                        let weight = _PillowTaps.weight(filter, (Double(tap + start) - center + 0.5) * inverse)
                        taps[tap] = weight
                        total += weight
                    }
                    // The divisions in a loop of their own, which the compiler vectorises.
                    if total != 0 { for tap in 0..<count { taps[tap] /= total } }
                    let base = index * stride
                    for tap in 0..<count {
                        let weight = taps[tap]
                        let scaled = weight < 0 ? -0.5 + weight * one : 0.5 + weight * one
                        weights[base + tap] = Int32(scaled)
                    }
                    starts[index] = start
                    counts[index] = count
                    starts32[index] = Int32(truncatingIfNeeded: start)
                    counts32[index] = Int32(truncatingIfNeeded: count)
                }
            }
        }
        self.starts = starts
        self.counts = counts
        self.starts32 = starts32
        self.counts32 = counts32
        self.weights = weights
        self.stride = stride
    }

    /// The horizontal pass through the C kernel; false when it ran out of memory.
    func run(
        _ source: UnsafePointer<UInt8>, stride: Int, left: Int, width: Int, end: UnsafePointer<UInt8>, rows: Int,
        channels: Int, into target: UnsafeMutablePointer<UInt8>, outStride: Int, path: Int32
    ) -> Bool {
        starts32.withUnsafeBufferPointer { starts in
            counts32.withUnsafeBufferPointer { counts in
                weights.withUnsafeBufferPointer { weights in
                    vis_pillow_horizontal_u8(
                        source, stride, left, width, end, rows, channels, starts.baseAddress, counts.baseAddress,
                        weights.baseAddress, self.stride, starts.count, target, outStride, path) != 0
                }
            }
        }
    }

    /// The vertical pass through the C kernel: output row `y` reads source rows `starts[y] + k − rowOffset`.
    func run(
        _ source: UnsafePointer<UInt8>, stride: Int, rowLength: Int, rowOffset: Int,
        into target: UnsafeMutablePointer<UInt8>, outStride: Int, path: Int32
    ) {
        starts32.withUnsafeBufferPointer { starts in
            counts32.withUnsafeBufferPointer { counts in
                weights.withUnsafeBufferPointer { weights in
                    vis_pillow_vertical_u8(
                        source, stride, rowLength, rowOffset, starts.baseAddress, counts.baseAddress,
                        weights.baseAddress, self.stride, starts.count, target, outStride, path)
                }
            }
        }
    }

    /// The first source index any output reads.
    var firstSource: Int { starts.first ?? 0 }
    /// One past the last source index any output reads.
    var endSource: Int { (starts.last ?? 0) + (counts.last ?? 0) }

    func resampledRows(_ input: [UInt8], rowStride: Int, firstRow: Int, rows: Int, channels: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: rows * starts.count * channels)
        input.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                resampleRows(
                    input, rowStride: rowStride, firstRow: firstRow, rows: rows, channels: channels, into: output)
            }
        }
        return output
    }

    func resampledColumns(_ input: [UInt8], rowLength: Int, rowOffset: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: starts.count * rowLength)
        input.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                resampleColumns(input, rowLength: rowLength, rowOffset: rowOffset, into: output)
            }
        }
        return output
    }

    /// The filter's support before widening by the downscale factor.
    static func support(_ filter: PillowFilter) -> Double {
        switch filter {
        case .nearest, .box: return 0.5
        case .bilinear, .hamming: return 1
        case .bicubic: return 2
        case .lanczos: return 3
        }
    }

    /// The filter's weight at `x` (Pillow's filter functions, in double precision).
    @inline(__always)
    static func weight(_ filter: PillowFilter, _ x: Double) -> Double {
        switch filter {
        case .nearest, .box:
            return x > -0.5 && x <= 0.5 ? 1 : 0
        case .bilinear:
            let x = abs(x)
            return x < 1 ? 1 - x : 0
        case .hamming:
            let x = abs(x)
            if x == 0 { return 1 }
            if x >= 1 { return 0 }
            let angle = x * Double.pi
            // Pillow writes the window's constants as C floats.
            return sin(angle) / angle * (Double(Float(0.54)) + Double(Float(0.46)) * cos(angle))
        case .bicubic:
            let a = -0.5
            let x = abs(x)
            if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
            if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
            return 0
        case .lanczos:
            guard -3 <= x && x < 3 else { return 0 }
            return _PillowTaps.sinc(x) * _PillowTaps.sinc(x / 3)
        }
    }

    private static func sinc(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let angle = x * Double.pi
        return sin(angle) / angle
    }

    /// Pillow's `clip8`: the fixed-point sum shifted down (flooring) and clamped to 0…255.
    @inline(__always)
    static func clip8(_ sum: Int) -> UInt8 {
        let shifted = sum >> precisionBits
        return shifted <= 0 ? 0 : shifted >= 255 ? 255 : UInt8(truncatingIfNeeded: shifted)
    }

    func resampleRows(
        _ input: UnsafeBufferPointer<UInt8>, rowStride: Int, firstRow: Int, rows: Int, channels: Int,
        into output: UnsafeMutableBufferPointer<UInt8>
    ) {
        let outSize = starts.count
        let half = 1 << (_PillowTaps.precisionBits - 1)
        weights.withUnsafeBufferPointer { weights in
            if channels == 3 {
                // RGB, the common case: the three sums in one walk over the taps, as Pillow's 8-bit loop does.
                starts.withUnsafeBufferPointer { starts in
                    counts.withUnsafeBufferPointer { counts in
                        for row in 0..<rows {
                            let source = (firstRow + row) * rowStride
                            var target = row * outSize * 3
                            for index in 0..<outSize {
                                var offset = source + starts[index] * 3
                                let tapBase = index * stride
                                // Pillow's C `int` sums: 32 bits, which 8-bit samples times 22-bit weights fit.
                                let start = Int32(truncatingIfNeeded: half)
                                var (red, green, blue) = (start, start, start)
                                for tap in 0..<counts[index] {
                                    let weight = weights[tapBase + tap]
                                    red &+= Int32(input[offset]) &* weight
                                    green &+= Int32(input[offset + 1]) &* weight
                                    blue &+= Int32(input[offset + 2]) &* weight
                                    offset += 3
                                }
                                output[target] = _PillowTaps.clip8(Int(red))
                                output[target + 1] = _PillowTaps.clip8(Int(green))
                                output[target + 2] = _PillowTaps.clip8(Int(blue))
                                target += 3
                            }
                        }
                    }
                }
                return
            }
            for row in 0..<rows {
                let source = (firstRow + row) * rowStride
                var target = row * outSize * channels
                for index in 0..<outSize {
                    let base = source + starts[index] * channels
                    let tapBase = index * stride
                    for channel in 0..<channels {
                        var sum = half
                        var offset = base + channel
                        for tap in 0..<counts[index] {
                            sum += Int(input[offset]) * Int(weights[tapBase + tap])
                            offset += channels
                        }
                        output[target + channel] = _PillowTaps.clip8(sum)
                    }
                    target += channels
                }
            }
        }
    }

    func resampleColumns(
        _ input: UnsafeBufferPointer<UInt8>, rowLength: Int, rowOffset: Int,
        into output: UnsafeMutableBufferPointer<UInt8>
    ) {
        let half = 1 << (_PillowTaps.precisionBits - 1)
        var sumStorage = [Int32](repeating: 0, count: rowLength)
        sumStorage.withUnsafeMutableBufferPointer { sums in
            weights.withUnsafeBufferPointer { weights in
                for index in 0..<starts.count {
                    // Pillow's C `int` sums, as in the horizontal pass.
                    for i in 0..<rowLength { sums[i] = Int32(truncatingIfNeeded: half) }
                    let tapBase = index * stride
                    for tap in 0..<counts[index] {
                        let weight = weights[tapBase + tap]
                        let source = (starts[index] + tap - rowOffset) * rowLength
                        for i in 0..<rowLength {
                            sums[i] &+= Int32(input[source + i]) &* weight
                        }
                    }
                    let target = index * rowLength
                    for i in 0..<rowLength {
                        output[target + i] = _PillowTaps.clip8(Int(sums[i]))
                    }
                }
            }
        }
    }
}

/// Pillow's RGBA ⇄ RGBa conversions, which bracket its resampling of images with alpha.
enum _PillowAlpha {
    static func premultiplied(_ image: Image) -> Image {
        var copy = image
        copy.pixels.withUnsafeMutableBufferPointer { pixels in
            var index = 0
            while index + 3 < pixels.count {
                let alpha = Int(pixels[index + 3])
                for channel in 0..<3 {
                    // Pillow's MULDIV255: a·b/255 rounded, with shifts.
                    let product = Int(pixels[index + channel]) * alpha + 128
                    pixels[index + channel] = UInt8(truncatingIfNeeded: ((product >> 8) + product) >> 8)
                }
                index += 4
            }
        }
        return copy
    }

    static func unpremultiplied(_ image: Image) -> Image {
        var copy = image
        copy.pixels.withUnsafeMutableBufferPointer { pixels in
            var index = 0
            while index + 3 < pixels.count {
                let alpha = Int(pixels[index + 3])
                if alpha != 0 && alpha != 255 {
                    for channel in 0..<3 {
                        pixels[index + channel] = UInt8(Swift.min(255 * Int(pixels[index + channel]) / alpha, 255))
                    }
                }
                index += 4
            }
        }
        return copy
    }
}
