import CVisKernels
import Testing
@testable import VisCore

@Suite("Resize")
struct ResizeTests {
    @Test func featmapGoldenTwoByTwoToFourByFour() throws {
        // MMEngine's featmap resize: [[0,1],[2,3]] to (4,4) by F.interpolate(bilinear, align_corners=False).
        let expected: [Float] = [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3]
        let map = try NDArray([[0, 1], [2, 3]] as [[Float]])
        let resized = try map.resizedBilinear(height: 4, width: 4)
        #expect(resized.shape == [4, 4])
        #expect(resized.values(as: Float.self) == expected)

        let doubles = try NDArray([[0, 1], [2, 3]]).resizedBilinear(height: 4, width: 4)
        #expect(doubles.values(as: Double.self) == expected.map(Double.init))

        // C×H×W resizes every plane; integer maps become float32.
        let stack = try NDArray([[[0, 1], [2, 3]], [[0, 2], [4, 6]]] as [[[Int32]]]).resizedBilinear(height: 4, width: 4)
        #expect(stack.shape == [2, 4, 4])
        #expect(Array(try #require(stack.values(as: Float.self))[16...]) == expected.map { $0 * 2 })
    }

    @Test func bilinearShrinkHasNoAntialiasing() throws {
        // 4 → 2: source positions 0.5 and 2.5, so each output averages a neighbouring pair only.
        let row = try NDArray([[0, 10, 20, 30]] as [[Float]])
        #expect(try row.resizedBilinear(height: 1, width: 2).values(as: Float.self) == [5, 25])
        // 1 → 3 replicates; 3 → 1 samples the centre.
        #expect(try NDArray([[7]] as [[Float]]).resizedBilinear(height: 1, width: 3).values(as: Float.self) == [7, 7, 7])
        #expect(try NDArray([[1, 2, 4]] as [[Float]]).resizedBilinear(height: 1, width: 1).values(as: Float.self) == [2])
        // 2 → 3: positions max(2/3·0.5−0.5, 0)=0, 0.5, 1.1667 (clamped upper neighbour).
        let upsampled = try #require(try NDArray([[0, 3]] as [[Float]]).resizedBilinear(height: 1, width: 3).values(as: Float.self))
        #expect(upsampled == [0, 1.5, 3])
    }

    @Test func bilinearRejectsBadSizes() throws {
        let map = try NDArray([[1, 2], [3, 4]])
        #expect(throws: VisCoreError.self) { try map.resizedBilinear(height: 0, width: 4) }
        #expect(throws: VisCoreError.self) { try map.resizedBilinear(height: 4, width: -1) }
        #expect(throws: VisCoreError.self) { try NDArray([1.0], shape: [1]).resizedBilinear(height: 2, width: 2) }
        #expect(throws: VisCoreError.self) { try NDArray([Float](), shape: [0, 3]).resizedBilinear(height: 2, width: 2) }
        #expect(throws: VisCoreError.self) { try map.resizedBilinear(height: 1 << 40, width: 1 << 40) }
    }

    @Test func nearestFollowsOpenCV() throws {
        let image = try Image(width: 3, height: 2, layout: .gray, pixels: [10, 20, 30, 40, 50, 60])
        // Up 3 → 7: src = floor(d·3/7) = 0 0 0 1 1 2 2.
        let wide = try image.resized(width: 7, height: 2, interpolation: .nearest)
        #expect(wide.pixels == [10, 10, 10, 20, 20, 30, 30, 40, 40, 40, 50, 50, 60, 60])
        // Down 3×2 → 2×1: src x = floor(d·1.5) = 0, 1; y = 0.
        #expect(try image.resized(width: 2, height: 1, interpolation: .nearest).pixels == [10, 20])
        let rgb = try Image(width: 2, height: 1, layout: .rgb, pixels: [1, 2, 3, 4, 5, 6])
        #expect(try rgb.resized(width: 4, height: 1, interpolation: .nearest).pixels == [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6])
    }

    @Test func bilinearHandComputed() throws {
        // 2 → 4 horizontally: fx = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to the last column).
        // Weights: (2048, 0), (1536, 512), (512, 1536), (2048 on the last).
        let image = try Image(width: 2, height: 1, layout: .gray, pixels: [0, 200])
        #expect(try image.resized(width: 4, height: 1).pixels == [0, 50, 150, 200])
        // Vertical rows keep their fraction but clamp the row index: 1 → 2 rows copies.
        #expect(try image.resized(width: 2, height: 3).pixels == [0, 200, 0, 200, 0, 200])
        // Exact 2× shrink averages 2×2 blocks, rounding half up: (1+2+3+5+2)>>2 = 3.
        let block = try Image(width: 2, height: 2, layout: .gray, pixels: [1, 2, 3, 5])
        #expect(try block.resized(width: 1, height: 1).pixels == [3])
        let ramp = try Image(width: 4, height: 1, layout: .gray, pixels: [0, 100, 200, 255])
        #expect(try ramp.resized(width: 2, height: 1).pixels == [50, 228])  // (0+100)/2, (200+255)/2 = 227.5 → 228
        let same = try Image(width: 3, height: 2, layout: .rgba, fill: [1, 2, 3, 4])
        #expect(try same.resized(width: 3, height: 2) == same)
    }

    @Test func bilinearUsesOpenCVsVectorRounding() throws {
        // 9 rows → 4: output row 0 reads rows 0 and 1 with weights 768/1280. With 1 and 5 there, OpenCV's SIMD
        // kernel gives ((1·128·768)>>16) + ((5·128·1280)>>16) = 1 + 12, (13+2)>>2 = 3, while the textbook
        // (2048·(768 + 5·1280) + 2^21) >> 22 = 4. cv2.resize returns 3.
        var pixels = [UInt8](repeating: 0, count: 9)
        pixels[0] = 1
        pixels[1] = 5
        let column = try Image(width: 1, height: 9, layout: .gray, pixels: pixels)
        #expect(try column.resized(width: 1, height: 4).pixels == [3, 0, 0, 0])
    }

    @Test func imageResizeRejectsBadSizes() throws {
        let image = try Image(width: 2, height: 2, layout: .rgb)
        #expect(throws: VisCoreError.self) { try image.resized(width: 0, height: 2) }
        #expect(throws: VisCoreError.self) { try image.resized(width: 2, height: -3) }
        #expect(throws: VisCoreError.self) { try image.resized(width: 1 << 20, height: 1 << 20) }
        #expect(throws: VisCoreError.self) { try Image(width: 0, height: 3, layout: .rgb).resized(width: 2, height: 2) }
    }

    @Test("every channel's value at a position equals the value of each channel, for every kernel")
    func allChannelValuesEqualEachChannelsValue() {
        check(Float.self)
        check(Double.self)

        func check<T: _TorchFloat>(_: T.Type) {
            // Generic (H'+W' > 128), channels-last (with a scalar tail), identity.
            for (channels, height, width, outHeight, outWidth) in [(5, 4, 6, 100, 90), (11, 4, 6, 30, 40), (3, 4, 6, 4, 6)] {
                let planes = (0..<(channels * height * width)).map { T(($0 * 7919) % 1009) / 97 - 5 }
                let resize = _TorchBilinear<T>(
                    channels: channels, height: height, width: width, outHeight: outHeight, outWidth: outWidth)
                var column = [T](repeating: 0, count: channels)
                var mismatches = 0
                planes.withUnsafeBufferPointer { input in
                    for index in 0..<(outHeight * outWidth) {
                        column.withUnsafeMutableBufferPointer { resize.values(input, at: index, into: $0) }
                        for channel in 0..<channels where column[channel] != resize.value(input, channel: channel, at: index) {
                            mismatches += 1
                        }
                    }
                }
                #expect(mismatches == 0, "\(T.self) \(resize.kernel)")
            }
        }
    }

    @Test("the row-wise multiply-add and levels equal the element-wise ones, halfway and subnormal sums included")
    func rowWiseMultiplyAddAndLevelsEqualElementWise() {
        // 2 + 2^-23 − 2^-69 rounds to the halfway `Double` 2 + 2^-23 (the fix-up path); 0 and 1e-30·1e-10 are
        // below the normal range; the rest are ordinary.
        let halfway = (a: Float(1) + .ulpOfOne, b: Float(0x1p-23) * (1 - Float.ulpOfOne), c: Float(2))
        let sum = Double(halfway.a) * Double(halfway.b) + Double(halfway.c)
        #expect(sum.bitPattern & 0x1FFF_FFFF == 0x1000_0000)
        var a: [Float] = [halfway.a, 0, 1e-30, 3, -1]
        var c: [Float] = [halfway.c, 0, 0, -3, 1]
        let (b, d): (Float, Float) = (halfway.b, 1)
        for index in 0..<3000 {
            a.append(Float((index * 7919) % 2003) / 37 - 27)
            c.append(Float((index * 104_729) % 1999) / 41 - 24)
        }
        var rowWise = [Float](repeating: 0, count: a.count)
        a.withUnsafeBufferPointer { a in
            c.withUnsafeBufferPointer { c in
                rowWise.withUnsafeMutableBufferPointer { Float._fusedMultiplyAddRow(a, b, c, d, into: $0) }
            }
        }
        let elementWise = a.indices.map { Float._fusedMultiplyAdd(a[$0], b, c[$0] * d) }
        #expect(rowWise.map(\.bitPattern) == elementWise.map(\.bitPattern))

        let normalizer = _MinMaxNormalizer<Float>(minimum: -27, maximum: 27.1)
        let values = a + c + [-27, 27.1, Float(-27).nextUp]
        var levels = [UInt8](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { values in
            levels.withUnsafeMutableBufferPointer { normalizer._levels(values, into: $0) }
        }
        #expect(levels == values.map(normalizer.level))
    }

    @Test("the bilinear vector kernel equals its portable Swift twin on every instruction path, for random sizes")
    func bilinearVectorKernelMatchesPortableTwin() throws {
        var random = SplitMix64(seed: 17)
        func size(_ limit: Int) -> Int { 1 + Int(random.next() % UInt64(limit)) }
        // (source width, height, output width, height): odd sizes, 1×N and N×1 either way, up- and down-scaling,
        // shrinks past the 16-byte window of a vector group and around the 64-byte window of an AVX-512 group (about
        // 4× for RGB), and one large enough to be split into row bands (4.6 MB of output).
        var cases: [(Int, Int, Int, Int)] = [
            (1, 1, 1, 1), (1, 1, 9, 5), (9, 1, 1, 1), (1, 9, 1, 3), (1, 7, 13, 1), (13, 1, 1, 7),
            (5, 3, 17, 11), (17, 11, 5, 3), (200, 3, 9, 2), (97, 41, 13, 7), (701, 301, 450, 160),
            (1201, 401, 1450, 800), (1000, 5, 260, 3), (1000, 5, 300, 4), (1000, 5, 250, 2),
        ]
        for _ in 0..<120 { cases.append((size(70), size(50), size(140), size(90))) }
        let paths = [
            VIS_RESIZE_SCALAR, VIS_RESIZE_SSE41, VIS_RESIZE_AVX2, VIS_RESIZE_AVX512, VIS_RESIZE_AVX_VNNI, VIS_RESIZE_NEON,
            VIS_RESIZE_BEST,
        ]
        var mismatches: [String] = []
        for (index, (width, height, outWidth, outHeight)) in cases.enumerated() {
            let layout = [PixelLayout.gray, .rgb, .rgba][index % 3]
            let samples = width * height * layout.channels
            let pixels = (0..<samples).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let image = try Image(width: width, height: height, layout: layout, pixels: pixels)
            let expected = image._resizeLinearPortable(width: outWidth, height: outHeight)
            for path in paths {
                let actual = try #require(image._resizeLinearVector(width: outWidth, height: outHeight, path: Int32(path)))
                if actual != expected {
                    mismatches.append("\(layout) \(width)×\(height) → \(outWidth)×\(outHeight) on path \(path)")
                }
            }
        }
        #expect(mismatches.count == 0, "first mismatches: \(mismatches.prefix(5))")
        #expect(vis_resize_linear_best_path() != VIS_RESIZE_SCALAR || !_VectorKernels.available)
    }
}
