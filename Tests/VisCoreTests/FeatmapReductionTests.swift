import Foundation
import Testing
import VisTestSupport
@testable import VisCore

/// The reductions' arithmetic: PyTorch's summation order and the fused resize-and-mean.
@Suite("drawFeatmap reductions")
struct FeatmapReductionTests {
    /// Deterministic values with a spread of magnitudes, so that the summation order matters.
    static func values<T: BinaryFloatingPoint>(_ count: Int, seed: UInt64, as type: T.Type = T.self) -> [T] {
        var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let unit = Double(state >> 11) / Double(1 << 53)
            return T((unit - 0.3) * (unit > 0.9 ? 1000 : 3))
        }
    }

    @Test(
        "the fused mean equals resizing every channel, then the mean, to the bit",
        arguments: [
            (20, 9, 11, 48, 64), (8, 12, 16, 30, 26), (3, 7, 7, 224, 224), (17, 5, 6, 5, 6), (40, 16, 16, 7, 9),
            (33, 4, 9, 13, 3), (1, 3, 3, 10, 12), (64, 2, 3, 40, 1), (9, 6, 5, 100, 90),
        ])
    func fusedMeanMatchesResizeThenMean(shape: (Int, Int, Int, Int, Int)) throws {
        let (channels, height, width, outHeight, outWidth) = shape
        check(Float.self)
        check(Double.self)

        func check<T: _TorchFloat>(_: T.Type) {
            let planes: [T] = Self.values(channels * height * width, seed: UInt64(channels * 31 + outWidth))
            let fused = _FeatmapReduction.channelMean(
                planes, channels: channels, height: height, width: width, outHeight: outHeight, outWidth: outWidth)
            let resize = _TorchBilinear<T>(
                channels: channels, height: height, width: width, outHeight: outHeight, outWidth: outWidth)
            let resized = planes.withUnsafeBufferPointer { input in
                (0..<channels).flatMap { resize.resized(input, channel: $0) }
            }
            let reference = _FeatmapReduction.channelMean(
                resized, channels: channels, height: outHeight, width: outWidth, outHeight: outHeight,
                outWidth: outWidth)
            let mismatches = zip(fused, reference).filter { $0 != $1 }.count
            #expect(mismatches == 0, "\(T.self) \(shape): \(mismatches) of \(fused.count) differ")
        }
    }

    @Test(
        "the bounded mean normalises exactly like PyTorch's mean, computing few pixels exactly",
        arguments: [(64, 10, 12, 120, 90), (256, 5, 8, 100, 160), (20, 9, 11, 200, 70), (3, 4, 4, 130, 10), (40, 6, 7, 99, 131)])
    func boundedMean(shape: (Int, Int, Int, Int, Int)) throws {
        let (channels, height, width, outHeight, outWidth) = shape
        try check(Float.self)
        try check(Double.self)

        func check<T: _TorchFloat>(_: T.Type) throws {
            // Activation-like values (no outliers: the bound scales with the largest magnitude).
            let planes: [T] = Self.values(channels * height * width, seed: UInt64(channels + outHeight)).map {
                (x: T) in x.magnitude > 10 ? x / 500 : x
            }
            let resize = _TorchBilinear<T>(
                channels: channels, height: height, width: width, outHeight: outHeight, outWidth: outWidth)
            #expect(resize.kernel == .generic)
            guard let bounded = _FeatmapReduction.boundedMean(planes, resize: resize) else {
                Issue.record("\(T.self) \(shape): the bounded path declined")
                return
            }
            let exact = _FeatmapReduction.channelMean(
                planes, channels: channels, height: height, width: width, outHeight: outHeight, outWidth: outWidth)
            let normalize = { (values: [T]) in
                try NDArray(values, shape: [outHeight, outWidth]).minMaxNormalizedToUInt8().values(as: UInt8.self)
            }
            let (fast, reference) = (try normalize(bounded), try normalize(exact))
            let mismatches = zip(fast ?? [], reference ?? []).filter { $0 != $1 }.count
            #expect(fast != nil && mismatches == 0, "\(T.self) \(shape): \(mismatches) intensities differ")
        }
    }

    @Test("the kernel follows PyTorch's choice: channels-last up to H'+W' = 128, generic above")
    func kernelChoice() {
        #expect(_TorchBilinear<Float>(channels: 20, height: 9, width: 11, outHeight: 48, outWidth: 64).kernel
            == .channelsLast(vectorChannels: 16))
        #expect(_TorchBilinear<Double>(channels: 6, height: 9, width: 11, outHeight: 64, outWidth: 64).kernel
            == .channelsLast(vectorChannels: 4))
        #expect(_TorchBilinear<Float>(channels: 20, height: 9, width: 11, outHeight: 64, outWidth: 65).kernel == .generic)
        #expect(_TorchBilinear<Float>(channels: 20, height: 9, width: 11, outHeight: 9, outWidth: 11).kernel == .identity)
    }

    @Test("the cascade sums 16 addends per level and carries by 4-bit digits")
    func cascadeOrder() {
        // 1e8 swallows a 1 in Float (its neighbours are 8 apart); how the 1s are grouped decides what survives.
        var values = [Float](repeating: 1, count: 24)
        values[0] = 1e8
        #expect(values.reduce(0, +) == 1e8)
        // The cascade: 1e8 and 15 ones (lost) in level 0, carried up after 16 addends; the other 8 ones sum to 8
        // in level 0, which is added to the carried 1e8 at the end.
        #expect(_TorchChannelSum.cascade(count: 24) { values[$0] } == 1e8 + 8)
        // row_sum: four interleaved sums of channels k, k+4, ...: lane 0 is 1e8 (its 5 ones lost), lanes 1-3 are
        // 6 each, added one by one: 1e8 + 6 → 1e8 + 8, → 1e8 + 16, → 1e8 + 24.
        #expect(_TorchChannelSum.rowSum(values) == 1e8 + 24)
        #expect(_TorchChannelSum.levelPower(count: 256) == 4)
        #expect(_TorchChannelSum.levelPower(count: 1 << 20) == 5)
        #expect(_TorchChannelSum.blockElements(Float.self) == 32)
        #expect(_TorchChannelSum.blockElements(Double.self) == 16)
    }

    @Test("the Float fused multiply-add matches libm's fmaf, ties included")
    func fusedMultiplyAdd() {
        var state: UInt64 = 7
        func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(bitPattern: UInt32(truncatingIfNeeded: state >> 32) & 0x7FFF_FFFF) * (state & 1 == 0 ? 1 : -1)
        }
        var mismatches = 0
        for _ in 0..<200_000 {
            let (a, b, c) = (next(), next(), next())
            guard a.isFinite, b.isFinite, c.isFinite else { continue }
            let expected = c.addingProduct(a, b)
            let actual = Float._fusedMultiplyAdd(a, b, c)
            if !(expected == actual || (expected.isNaN && actual.isNaN)) { mismatches += 1 }
        }
        #expect(mismatches == 0)
        // (1 + 2^-23)·2^-24·(1 − 2^-23) + (1 + 2^-23) = 1 + 2^-23 + 2^-24 − 2^-70: in Double the sum rounds to
        // the float tie 1 + 3·2^-24, which ties-to-even would round up; the correct result is 1 + 2^-23.
        let a: Float = 1 + 0x1p-23
        let b: Float = 0x1p-24 * (1 - 0x1p-23)
        #expect(Float._fusedMultiplyAdd(a, b, a) == a)
        #expect(a.addingProduct(a, b) == a)
        let small = Float.leastNormalMagnitude / 4
        for (x, y, z): (Float, Float, Float) in [(1, 1, 0x1p-24), (3, 0x1p-25, 1), (0x1p-70, 0x1p-70, 0), (1e-30, 1e-10, -small)] {
            #expect(Float._fusedMultiplyAdd(x, y, z) == z.addingProduct(x, y), "\(x) \(y) \(z)")
        }
    }

    @Test("ranking sums equal the sums of the resized planes")
    func resizedSums() throws {
        let planes: [Double] = Self.values(5 * 6 * 7, seed: 9)
        let sums = _FeatmapReduction.resizedChannelSums(planes, channels: 5, height: 6, width: 7, outHeight: 23, outWidth: 11)
        let resize = _TorchBilinear<Double>(channels: 5, height: 6, width: 7, outHeight: 23, outWidth: 11)
        let resized = planes.withUnsafeBufferPointer { input in (0..<5).flatMap { resize.resized(input, channel: $0) } }
        for channel in 0..<5 {
            let direct = resized[(channel * 253)..<((channel + 1) * 253)].reduce(0, +)
            #expect(abs(sums[channel] - direct) <= 1e-9 * max(1, abs(direct)))
        }
        #expect(_FeatmapReduction.ranked([1, 3, 3, -2, 5]) == [4, 1, 2, 0, 3])
    }
}

/// The heatmap painter's vector kernels (`vis_color_row`, `vis_blend_row`) against its table of OpenCV's
/// `addWeighted` results.
@Suite("Heatmap painting")
struct HeatmapPaintingTests {
    @Test(
        "the vector blend equals the table for every level and image sample, at many alphas",
        arguments: [0.5, 0, 1, 0.3, 0.7, 0.25, -0.7, 2.5, 1e30, -1e30])
    func blend(alpha: Double) throws {
        // Every (level, sample) pair: 256 levels × 256 samples, one per pixel of a 256×256 image, per channel.
        let (width, height) = (256, 256)
        let levels = (0..<(width * height)).map { UInt8(truncatingIfNeeded: $0 >> 8) }
        let pixels = (0..<(width * height * 3)).map { UInt8(truncatingIfNeeded: ($0 / 3) &+ ($0 % 3) &* 85) }
        let image = try Image(width: width, height: height, layout: .rgb, pixels: pixels)
        for colormap in Colormap.builtIn {
            for painted in [image, nil] as [Image?] {
                let outputs = [true, false].map { vectorized in
                    let painter = _Heatmap.Painter(image: painted, alpha: alpha, colormap: colormap, vectorized: vectorized)
                    return levels.withUnsafeBufferPointer { levels in
                        [UInt8](unsafeUninitializedCapacity: width * height * 3) { output, initialized in
                            painter.paint(_Intensities(levels), width: width, height: height, into: output, outputWidth: width, at: (0, 0))
                            initialized = width * height * 3
                        }
                    }
                }
                let mismatches = zip(outputs[0], outputs[1]).filter { $0 != $1 }.count
                #expect(mismatches == 0, "\(colormap.name), image: \(painted != nil)")
            }
        }
    }

    @Test("cells painted side by side leave their neighbours alone (the kernels' wide stores stay in the row)")
    func neighbours() throws {
        for width in [1, 8, 11, 12, 19, 23] {
            let height = 3
            let levels = (0..<(width * height)).map { UInt8(truncatingIfNeeded: $0 &* 37) }
            let image = try Image(
                width: width, height: height, layout: .rgb,
                pixels: (0..<(width * height * 3)).map { UInt8(truncatingIfNeeded: $0 &* 11) })
            let painter = _Heatmap.Painter(image: image, alpha: 0.4, colormap: .jet)
            // A grid of 3 cells in one row; the middle one is painted last, over a pattern in its neighbours.
            let gridWidth = 3 * width
            var output = [UInt8](repeating: 7, count: gridWidth * height * 3)
            output.withUnsafeMutableBufferPointer { output in
                levels.withUnsafeBufferPointer { levels in
                    painter.paint(_Intensities(levels), width: width, height: height, into: output, outputWidth: gridWidth, at: (width, 0))
                }
            }
            for y in 0..<height {
                for x in 0..<gridWidth where x < width || x >= 2 * width {
                    let offset = (y * gridWidth + x) * 3
                    #expect(output[offset..<(offset + 3)].allSatisfy { $0 == 7 }, "width \(width): pixel (\(x), \(y))")
                }
            }
        }
    }
}
