import CVisKernels
import Foundation
import Testing
import VisCore
@testable import VisTools

/// The C kernels behind the self-supervised pipelines (Pillow's resampling, hue shift, box blur) and the in-place
/// colour blends, each on every instruction path, against the Swift implementations the Pillow reference tests
/// check (randomized differential tests).
@Suite("SelfSup kernels")
struct SelfSupKernelTests {
    // AVX-512 is the bilinear resize's widest path; asked of the Pillow kernels it means their AVX2 one.
    private static let paths = [VIS_RESIZE_SCALAR, VIS_RESIZE_AVX2, VIS_RESIZE_AVX512, VIS_RESIZE_AVX_VNNI, VIS_RESIZE_BEST]
        .map { Int32($0) }

    private static func noise(width: Int, height: Int, layout: PixelLayout, using random: inout SplitMix64) throws
        -> Image
    {
        // Half the images are smooth (long runs of nearby values, as photos have), half uniform noise.
        let smooth = random.next() % 2 == 0
        var level = Int(random.next() % 256)
        let pixels = (0..<(width * height * layout.channels)).map { _ -> UInt8 in
            if smooth {
                level = Swift.min(Swift.max(level + Int(random.next() % 9) - 4, 0), 255)
                return UInt8(level)
            }
            return UInt8(truncatingIfNeeded: random.next())
        }
        return try Image(width: width, height: height, layout: layout, pixels: pixels)
    }

    @Test("resampling a region on every path equals the Swift resize of the cropped region")
    func resampling() throws {
        var random = SplitMix64(seed: 16)
        func size(_ limit: Int) -> Int { Int(random.next() % UInt64(limit)) + 1 }
        // (source w, h, region x, y, w, h, output w, h): downscales as the pipelines make them, upscales, one-pixel
        // sides, vertical-first shapes and regions touching the image's right and bottom edges.
        var cases: [(Int, Int, Int, Int, Int, Int, Int, Int)] = [
            (333, 200, 0, 0, 333, 200, 56, 56), (333, 200, 120, 40, 213, 160, 56, 56), (333, 200, 0, 0, 333, 200, 224, 224),
            (97, 61, 0, 0, 97, 61, 1, 1), (97, 61, 96, 60, 1, 1, 5, 3), (300, 300, 10, 0, 60, 300, 56, 20),
            (120, 90, 3, 5, 117, 85, 117, 30), (120, 90, 3, 5, 117, 85, 40, 85), (40, 30, 0, 0, 40, 30, 400, 7),
        ]
        for _ in 0..<60 {
            let (width, height) = (size(260), size(200))
            let (regionWidth, regionHeight) = (size(width), size(height))
            let x = Int(random.next() % UInt64(width - regionWidth + 1))
            let y = Int(random.next() % UInt64(height - regionHeight + 1))
            cases.append((width, height, x, y, regionWidth, regionHeight, size(120), size(120)))
        }
        var mismatches: [String] = []
        for (index, (width, height, x, y, regionWidth, regionHeight, outWidth, outHeight)) in cases.enumerated() {
            let layout: PixelLayout = index % 4 == 3 ? .gray : .rgb
            let image = try Self.noise(width: width, height: height, layout: layout, using: &random)
            let crop = try image.cropped(x: x, y: y, width: regionWidth, height: regionHeight)
            for filter in PillowFilter.allCases where filter != .nearest {
                let expected = try crop._pillowConvolved(
                    into: try Image(width: outWidth, height: outHeight, layout: layout), filter: filter)
                for path in Self.paths {
                    let actual = try image._pillowResampled(
                        x: x, y: y, width: regionWidth, height: regionHeight, to: outWidth, outHeight, filter: filter,
                        path: path)
                    if actual != expected {
                        mismatches.append(
                            "\(layout) \(width)×\(height) [\(x), \(y), \(regionWidth)×\(regionHeight)] → "
                                + "\(outWidth)×\(outHeight) \(filter) on path \(path)")
                    }
                }
            }
            let viaRegion = try image.pillowResized(
                x: x, y: y, regionWidth: regionWidth, regionHeight: regionHeight, width: outWidth, height: outHeight)
            #expect(viaRegion == (try crop.pillowResized(width: outWidth, height: outHeight)))
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5))")
        // The best path is the widest the CPU has; VNNI asked for where the CPU lacks it falls back to AVX2.
        let vnni = vis_pillow_resample_path(Int32(VIS_RESIZE_AVX_VNNI))
        #expect(vis_pillow_resample_path(Int32(VIS_RESIZE_BEST)) == vnni)
        #expect([VIS_RESIZE_AVX_VNNI, VIS_RESIZE_AVX2, VIS_RESIZE_SCALAR].map { Int32($0) }.contains(vnni))
        #expect(vis_pillow_resample_path(Int32(VIS_RESIZE_AVX512)) == vis_pillow_resample_path(Int32(VIS_RESIZE_AVX2)))
        if vnni == Int32(VIS_RESIZE_AVX_VNNI) {
            #expect(vis_pillow_resample_path(Int32(VIS_RESIZE_AVX2)) == Int32(VIS_RESIZE_AVX2))
        }
    }

    @Test("the hue shift on every path equals the Swift HSV round trip, for every shift")
    func hue() throws {
        var random = SplitMix64(seed: 61)
        // Every 3rd level of each channel (86³ colours, grays and one-channel extremes included), then noise.
        var pixels: [UInt8] = []
        for r in stride(from: 0, through: 255, by: 3) {
            for g in stride(from: 0, through: 255, by: 3) {
                for b in stride(from: 0, through: 255, by: 3) { pixels += [UInt8(r), UInt8(g), UInt8(b)] }
            }
        }
        pixels += (0..<(3 * 10_001)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let grid = try Image(width: pixels.count / 3, height: 1, layout: .rgb, pixels: pixels)
        let rgba = try Self.noise(width: 37, height: 11, layout: .rgba, using: &random)
        var mismatches: [String] = []
        for shift in [0, 1, 25, 77, 127, 129, 200, 230, 255] {
            // The factor whose `Int(factor · 255)` wraps to this shift.
            let factor = Double(shift > 127 ? shift - 256 : shift) / 255 + 1e-9 * (shift > 127 ? -1 : 1)
            for image in [grid, rgba] {
                let expected = try PillowEnhance._huePortable(image, factor: factor)
                for path in Self.paths {
                    var actual = image
                    try PillowEnhance._hue(&actual, factor: factor, path: path)
                    if actual != expected {
                        let differing = zip(actual.pixels, expected.pixels).filter { $0 != $1 }.count
                        mismatches.append("shift \(shift) \(image.layout) path \(path): \(differing) samples")
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test("the vector hue shift equals the portable one on all 2^24 colours")
    func hueEveryColour() throws {
        // The vector path's replacements for the portable path's operations are exact over this whole domain; the
        // HSV → RGB half sees every (h, s, v) the first half makes, shifted two ways (gray pixels included).
        let count = 1 << 24
        var pixels = [UInt8](repeating: 0, count: 3 * count)
        for index in 0..<count {
            pixels[3 * index] = UInt8(truncatingIfNeeded: index >> 16)
            pixels[3 * index + 1] = UInt8(truncatingIfNeeded: index >> 8)
            pixels[3 * index + 2] = UInt8(truncatingIfNeeded: index)
        }
        for shift: UInt8 in [77, 200] {
            var portable = pixels
            var vector = pixels
            portable.withUnsafeMutableBufferPointer {
                vis_pillow_hue_u8($0.baseAddress, count, 3, shift, Int32(VIS_RESIZE_SCALAR))
            }
            vector.withUnsafeMutableBufferPointer {
                vis_pillow_hue_u8($0.baseAddress, count, 3, shift, Int32(VIS_RESIZE_BEST))
            }
            #expect(zip(portable, vector).filter { $0 != $1 }.count == 0, "shift \(shift)")
        }
    }

    @Test("the C box blur equals the Swift one, for radii from fractions to wider than the image")
    func blur() throws {
        var random = SplitMix64(seed: 7)
        var mismatches: [String] = []
        for (index, sigma) in [0.1, 0.37, 0.5, 1.0, 1.3, 2.0, 3.7, 7.5, 60.0].enumerated() {
            for layout in [PixelLayout.gray, .rgb, .rgba] {
                let (width, height) = index % 3 == 0 ? (1, 9) : (Int(random.next() % 90) + 2, Int(random.next() % 70) + 2)
                let image = try Self.noise(width: width, height: height, layout: layout, using: &random)
                let expected = try PillowEnhance._gaussianBlurPortable(image, sigma: sigma)
                for path in Self.paths {
                    var actual = image
                    try PillowEnhance._gaussianBlur(&actual, sigma: sigma, path: path)
                    if actual != expected { mismatches.append("\(layout) \(width)×\(height) sigma \(sigma) path \(path)") }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test("mmcv's grayscale on every path equals its double arithmetic written out per pixel")
    func grayscale() throws {
        var random = SplitMix64(seed: 9)
        let image = try Self.noise(width: 53, height: 31, layout: .rgb, using: &random)
        for (weights, format) in [([0.114, 0.587, 0.2989], SelfSupTransform.ColorFormat.bgr), ([3, 1, 0.5], .rgb)] {
            let total = weights.reduce(0, +)
            let w = weights.map { $0 / total }
            let (first, last) = format == .bgr ? (2, 0) : (0, 2)
            let expected = (0..<(53 * 31)).map { index -> UInt8 in
                let p = Array(image.pixels[(3 * index)..<(3 * index + 3)])
                let sum = w[0] * Double(p[first]) + w[1] * Double(p[1]) + w[2] * Double(p[last])
                return UInt8(Swift.min(Swift.max(sum, 0), 255))
            }
            for path in Self.paths {
                for keep in [false, true] {
                    let gray = try SelfSupTransform.grayscale(
                        image, weights: weights, colorFormat: format, keepChannels: keep, path: path)
                    #expect(gray.pixels == (keep ? expected.flatMap { [$0, $0, $0] } : expected), "\(format) path \(path)")
                }
            }
        }
    }

    @Test("brightness, contrast and saturation in place equal Pillow's blend written out per sample")
    func blends() throws {
        var random = SplitMix64(seed: 3)
        for layout in [PixelLayout.gray, .rgb, .rgba] {
            // 1189 pixels: the vector loops' tails are exercised too.
            let image = try Self.noise(width: 41, height: 29, layout: layout, using: &random)
            let gray = image.converted(to: .gray)
            let mean = Double(gray.pixels.reduce(0) { $0 + Int($1) }) / Double(gray.pixels.count)
            let level = UInt8(Int(mean + 0.5))
            let saturated = { (factor: Double) in
                try PillowEnhance._blend(image, factor: factor) { index in
                    layout == .rgba && index % 4 == 3 ? image.pixels[index] : gray.pixels[index / image.channels]
                }
            }
            for factor in [0.0, 0.37, 0.6, 1.0, 1.4, 1.9, 3.0] {
                let expected = [
                    try PillowEnhance._blend(image, factor: factor) { _ in 0 },
                    try PillowEnhance._blend(image, factor: factor) { _ in level }, try saturated(factor),
                ]
                for path in Self.paths {
                    var actual = [image, image, image]
                    PillowEnhance._brightness(&actual[0], factor: factor, path: path)
                    PillowEnhance._contrast(&actual[1], factor: factor, path: path)
                    PillowEnhance._saturation(&actual[2], factor: factor, path: path)
                    #expect(actual == expected, "\(layout) factor \(factor) path \(path)")
                }
            }
        }
    }
}

@Suite("SelfSup concurrent views")
struct SelfSupConcurrentViewTests {
    @Test("MultiView's views made at once equal those made one after the other, for every seed")
    func concurrentEqualsSequential() throws {
        let photo = try SelfSupPresetTests.makePhoto()
        for name in ["mocov2", "byol", "simclr"] {
            let concurrent = try SelfSupPipeline.preset(named: name)
            var sequential = concurrent
            sequential.concurrentViews = false
            var distinct = Set<[UInt8]>()
            for seed in UInt64(0)..<12 {
                let views = try concurrent.views(of: photo, seed: seed)
                #expect(views == (try sequential.views(of: photo, seed: seed)), "\(name) seed \(seed)")
                #expect(views == (try concurrent.views(of: photo, seed: seed)), "\(name) seed \(seed) repeats")
                #expect(views.count == 2 && views[0] != views[1], "\(name) seed \(seed): two different views")
                distinct.insert(views[0].pixels)
            }
            #expect(distinct.count == 12, "\(name): each seed gives its own views")
        }
    }
}
