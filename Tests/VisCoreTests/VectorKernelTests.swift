import CVisKernels
import Foundation
import Testing
import VisTestSupport
@testable import VisCore

/// The C row kernels (CVisKernels) against their Swift twins, on random rows with the awkward cases mixed in:
/// halfway sums, values below the normal range, zeros of both signs, the extremes of the level range, NaN and
/// infinity. On a CPU without AVX2+FMA the kernels' portable C path is what is compared.
@Suite("Vector kernels")
struct VectorKernelTests {
    /// A row of `count` floats: mostly activation-like values, with 1 in 16 drawn from every exponent.
    static func row(_ count: Int, _ generator: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in
            if Int.random(in: 0..<16, using: &generator) == 0 {
                let bits = UInt32.random(in: 0...UInt32.max, using: &generator) & 0x7F7F_FFFF | 0x0000_0001
                return Float(bitPattern: bits) * (Bool.random(using: &generator) ? 1 : -1)
            }
            return Float.random(in: -30...30, using: &generator)
        }
    }

    /// How many elements differ (a count keeps a failure's message short; the rows are long).
    static func mismatches<Element: Equatable>(_ first: [Element], _ second: [Element]) -> Int {
        first.count == second.count ? zip(first, second).filter { $0 != $1 }.count : max(first.count, second.count)
    }

    /// Row lengths around every vector width and tail.
    static let lengths = [0, 1, 7, 8, 9, 11, 12, 19, 31, 32, 33, 64, 1333]

    @Test("the vector path is taken exactly when the CPU has it (x86-64 Linux: AVX2 and FMA in /proc/cpuinfo)")
    func dispatch() throws {
        #if arch(x86_64) && os(Linux)
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = Set(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ") ?? [])
        #expect((vis_kernels_available() != 0) == (flags.contains("avx2") && flags.contains("fma")))
        #elseif arch(arm64)
        #expect(vis_kernels_available() != 0)
        #endif
        // The switch that forces the Swift twins is read once per process; this process does not set it.
        if ProcessInfo.processInfo.environment["VIS_PORTABLE_KERNELS"] != "1" {
            #expect(_VectorKernels.available == (vis_kernels_available() != 0))
        } else {
            #expect(!_VectorKernels.available)
        }
    }

    @Test("fma row: fma(a[i], b, c[i]·d) to the bit, ties and subnormals included")
    func fusedMultiplyAddRow() {
        var generator = SeededGenerator(seed: 1)
        // The first entry is a halfway `Double` sum (the twin's fix-up path); the second underflows.
        let halfway = (a: Float(1) + .ulpOfOne, b: Float(0x1p-23) * (1 - Float.ulpOfOne), c: Float(2))
        for count in Self.lengths {
            for trial in 0..<20 {
                var a = Self.row(count, &generator)
                var c = Self.row(count, &generator)
                var (b, d) = (Float.random(in: -2...2, using: &generator), Float.random(in: -2...2, using: &generator))
                if trial == 0, count > 1 {
                    (a[0], c[0], b, d) = (halfway.a, halfway.c, halfway.b, 1)
                    (a[1], c[1]) = (1e-30, -1e-30)
                }
                var vector = [Float](repeating: 0, count: count)
                var portable = [Float](repeating: 0, count: count)
                a.withUnsafeBufferPointer { a in
                    c.withUnsafeBufferPointer { c in
                        vector.withUnsafeMutableBufferPointer {
                            vis_fma_row_f32(a.baseAddress, b, c.baseAddress, d, $0.baseAddress, count)
                        }
                        portable.withUnsafeMutableBufferPointer { Float._portableFusedMultiplyAddRow(a, b, c, d, into: $0) }
                    }
                }
                let elementWise = (0..<count).map { Float._fusedMultiplyAdd(a[$0], b, c[$0] * d) }
                #expect(Self.mismatches(vector.map(\.bitPattern), portable.map(\.bitPattern)) == 0, "count \(count), trial \(trial)")
                #expect(Self.mismatches(vector.map(\.bitPattern), elementWise.map(\.bitPattern)) == 0, "count \(count), trial \(trial)")
            }
        }
    }

    @Test("ranges: the same extremes and the same verdict on NaN and infinity")
    func ranges() {
        var generator = SeededGenerator(seed: 2)
        for count in Self.lengths where count > 0 {
            for poison in [nil, Float.nan, .infinity, -.infinity] {
                var values = Self.row(count, &generator)
                if let poison { values[Int.random(in: 0..<count, using: &generator)] = poison }
                let portable = values.withUnsafeBufferPointer { _MinMaxNormalizer<Float>._portableFiniteRange($0) }
                var (minimum, maximum) = (Float.infinity, -Float.infinity)
                let finite = values.withUnsafeBufferPointer { vis_range_f32($0.baseAddress, count, &minimum, &maximum) }
                #expect((finite != 0) == (portable != nil), "count \(count), poison \(String(describing: poison))")
                if let portable, finite != 0 {
                    #expect(minimum == portable.minimum && maximum == portable.maximum)
                }

                // The fused row range: the same as the range of the row the fma kernel writes.
                let other = Self.row(count, &generator)
                let (b, d) = (Float.random(in: -2...2, using: &generator), Float(0.25))
                var (low, high) = (Float.infinity, -Float.infinity)
                var (portableLow, portableHigh) = (Float.infinity, -Float.infinity)
                let (vectorFinite, portableFinite) = values.withUnsafeBufferPointer { a in
                    other.withUnsafeBufferPointer { c in
                        (vis_fma_row_range_f32(a.baseAddress, b, c.baseAddress, d, count, &low, &high) != 0,
                         Float._portableFusedMultiplyAddRowRange(
                            a, b, c, d, count: count, minimum: &portableLow, maximum: &portableHigh))
                    }
                }
                #expect(vectorFinite == portableFinite)
                if vectorFinite { #expect(low == portableLow && high == portableHigh) }
            }
        }
    }

    @Test("levels: OpenCV's normalisation truncated, both kernels, at and around every level boundary")
    func levels() {
        var generator = SeededGenerator(seed: 3)
        let normalizers = [
            _MinMaxNormalizer<Float>(minimum: -27, maximum: 27.1), _MinMaxNormalizer<Float>(minimum: 0, maximum: 1),
            _MinMaxNormalizer<Float>(minimum: 3, maximum: 3), _MinMaxNormalizer<Float>(minimum: -1e-30, maximum: 1e-30),
        ]
        for normalizer in normalizers {
            // The values that land exactly on, just below and just above each level.
            var boundaries: [Float] = []
            for level in 0...256 where normalizer.scale != 0 {
                let value = (Float(level) - normalizer.shift) / normalizer.scale
                boundaries += [value.nextDown, value, value.nextUp]
            }
            for count in Self.lengths {
                var values = Self.row(count, &generator) + boundaries + [.nan, .infinity, -.infinity, 0, -0.0]
                values.shuffle(using: &generator)
                var vector = [UInt8](repeating: 0, count: values.count)
                var portable = [UInt8](repeating: 0, count: values.count)
                values.withUnsafeBufferPointer { input in
                    vector.withUnsafeMutableBufferPointer {
                        vis_levels_f32(input.baseAddress, normalizer.scale, normalizer.shift, $0.baseAddress, input.count)
                    }
                    portable.withUnsafeMutableBufferPointer { normalizer._portableLevels(input, into: $0) }
                }
                #expect(Self.mismatches(vector, portable) == 0, "count \(count)")
                #expect(Self.mismatches(vector, values.map(normalizer.level)) == 0)

                // Levels of a resized row, without storing it.
                let lower = Self.row(values.count, &generator)
                let (h0, h1) = (Float.random(in: 0...1, using: &generator), Float.random(in: 0...1, using: &generator))
                var fused = [UInt8](repeating: 0, count: values.count)
                values.withUnsafeBufferPointer { upper in
                    lower.withUnsafeBufferPointer { lower in
                        fused.withUnsafeMutableBufferPointer {
                            vis_fma_row_levels_f32(
                                upper.baseAddress, h0, lower.baseAddress, h1, normalizer.scale, normalizer.shift,
                                $0.baseAddress, upper.count)
                        }
                    }
                }
                let expected = values.indices.map { normalizer.level(Float._fusedMultiplyAdd(values[$0], h0, lower[$0] * h1)) }
                #expect(Self.mismatches(fused, expected) == 0)
            }
        }
    }

    @Test("one position in every channel: PyTorch's generic kernel to the bit")
    func bilinearChannels() {
        var generator = SeededGenerator(seed: 4)
        for channels in [1, 3, 8, 9, 40] {
            let (height, width, outHeight, outWidth) = (5, 7, 90, 71)
            let planes = Self.row(channels * height * width, &generator)
            let resize = _TorchBilinear<Float>(
                channels: channels, height: height, width: width, outHeight: outHeight, outWidth: outWidth)
            var column = [Float](repeating: 0, count: channels)
            var mismatches = 0
            planes.withUnsafeBufferPointer { input in
                for index in stride(from: 0, to: outHeight * outWidth, by: 7) {
                    column.withUnsafeMutableBufferPointer { resize.values(input, at: index, into: $0) }
                    for channel in 0..<channels {
                        let expected = resize.value(input, channel: channel, at: index)
                        if column[channel].bitPattern != expected.bitPattern && !(column[channel].isNaN && expected.isNaN) {
                            mismatches += 1
                        }
                    }
                }
            }
            #expect(mismatches == 0, "\(channels) channels")
        }
    }

    @Test("the bounded mean's row passes: the vector kernels equal the Swift loops")
    func approximateRows() {
        var generator = SeededGenerator(seed: 5)
        for (height, width, outHeight, outWidth) in [(50, 84, 160, 267), (6, 9, 101, 13), (3, 3, 130, 5)] {
            let means = (0..<(height * width)).map { _ in Double.random(in: -3...3, using: &generator) }
            let magnitudes = means.map { abs($0) * 40 + Double.random(in: 0...1, using: &generator) }
            let resize = _TorchBilinear<Float>(
                channels: 40, height: height, width: width, outHeight: outHeight, outWidth: outWidth)
            let rows = means.withUnsafeBufferPointer { means in
                magnitudes.withUnsafeBufferPointer { _ApproximateBilinearRows(resize: resize, values: means, bounds: $0) }
            }
            let (factor, unit) = (2 * (56 + 40.0 / 4096) * 0x1p-24 / 40, 0x1p-24)
            for row in 0..<outHeight {
                var vectorValues = [Double](repeating: 0, count: outWidth)
                var portableValues = vectorValues
                vectorValues.withUnsafeMutableBufferPointer { rows.values(row: row, into: $0, vectorized: true) }
                portableValues.withUnsafeMutableBufferPointer { rows.values(row: row, into: $0, vectorized: false) }
                #expect(Self.mismatches(vectorValues, portableValues) == 0)

                var vector = (Double.infinity, -Double.infinity, -Double.infinity)
                var portable = vector
                let vectorFinite = rows.foldRange(
                    row: row, factor: factor, twoUnit: 2 * unit, minimum: &vector.0, maximum: &vector.1,
                    largestError: &vector.2, vectorized: true)
                let portableFinite = rows.foldRange(
                    row: row, factor: factor, twoUnit: 2 * unit, minimum: &portable.0, maximum: &portable.1,
                    largestError: &portable.2, vectorized: false)
                #expect(vectorFinite && portableFinite && vector == portable)

                // A scale that makes levels of a few units wide, so that some pixels are uncertain.
                let scale = 255 / 5.9
                var (vectorMean, portableMean) = ([Float](repeating: 0, count: outWidth), [Float](repeating: 0, count: outWidth))
                var (vectorFlags, portableFlags) = ([UInt8](repeating: 9, count: outWidth), [UInt8](repeating: 9, count: outWidth))
                vectorMean.withUnsafeMutableBufferPointer { mean in
                    vectorFlags.withUnsafeMutableBufferPointer { flags in
                        rows.meanLevels(
                            row: row, origin: -2.9, scale: scale, twoScale: 2 * scale, factor: factor, fourUnit: 4 * unit,
                            evaluation: 1e-3, low: -2.5, high: 2.5, mean: mean, uncertain: flags, vectorized: true)
                    }
                }
                portableMean.withUnsafeMutableBufferPointer { mean in
                    portableFlags.withUnsafeMutableBufferPointer { flags in
                        rows.meanLevels(
                            row: row, origin: -2.9, scale: scale, twoScale: 2 * scale, factor: factor, fourUnit: 4 * unit,
                            evaluation: 1e-3, low: -2.5, high: 2.5, mean: mean, uncertain: flags, vectorized: false)
                    }
                }
                #expect(Self.mismatches(vectorMean.map(\.bitPattern), portableMean.map(\.bitPattern)) == 0)
                #expect(Self.mismatches(vectorFlags, portableFlags) == 0)
                #expect(vectorFlags.allSatisfy { $0 <= 1 })
            }
        }
    }

    @Test("resized rows: the levels and values of `_TorchBilinearRows` equal the resized plane's")
    func resizedRows() {
        var generator = SeededGenerator(seed: 6)
        for (height, width, outHeight, outWidth) in [(50, 84, 120, 200), (40, 30, 10, 130), (3, 4, 200, 9)] {
            let planes = (0..<(2 * height * width)).map { _ in Float.random(in: -4...4, using: &generator) }
            let resize = _TorchBilinear<Float>(
                channels: 2, height: height, width: width, outHeight: outHeight, outWidth: outWidth)
            guard var rows = _TorchBilinearRows(resize: resize) else {
                Issue.record("the generic kernel was expected")
                continue
            }
            let plane = planes.withUnsafeBufferPointer { resize.resized($0, channel: 1) }
            planes.withUnsafeBufferPointer { rows.load($0, channel: 1) }
            let range = plane.withUnsafeBufferPointer { _MinMaxNormalizer<Float>._portableFiniteRange($0) }
            let rowsRange = rows.finiteRange(rows: 0..<outHeight)
            #expect(rowsRange?.minimum == range?.minimum && rowsRange?.maximum == range?.maximum)
            let normalizer = _MinMaxNormalizer<Float>(minimum: -3, maximum: 3.5)
            var values = [Float](repeating: 0, count: outWidth)
            var levels = [UInt8](repeating: 0, count: outWidth)
            for row in 0..<outHeight {
                values.withUnsafeMutableBufferPointer { rows.values(row: row, into: $0) }
                levels.withUnsafeMutableBufferPointer { rows.levels(row: row, normalizer: normalizer, into: $0) }
                let expected = Array(plane[(row * outWidth)..<((row + 1) * outWidth)])
                #expect(Self.mismatches(values.map(\.bitPattern), expected.map(\.bitPattern)) == 0)
                #expect(Self.mismatches(levels, expected.map(normalizer.level)) == 0)
            }
        }
    }
}
