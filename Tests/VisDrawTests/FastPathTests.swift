import Foundation
import Testing
import VisTestSupport
import VisCore
@testable import VisDraw

/// Every fast path against its naive twin: the analytic rectangle against the general rasterizer (and the
/// general stroker), random geometry with fractional coordinates, fixed seeds. Tolerance: ≤ 1 per sample
/// (both compute exact areas; they differ by float rounding before 8-bit quantization).
@Suite("Fast paths agree with the general rasterizer")
struct FastPathTests {
    static let layouts: [PixelLayout] = [.rgb, .rgba, .gray]

    func randomBackground(_ layout: PixelLayout, using random: inout SeededGenerator) throws -> Image {
        let count = 64 * 48 * layout.channels
        return try Image(width: 64, height: 48, layout: layout, pixels: (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) })
    }

    func randomColor(using random: inout SeededGenerator) -> Color {
        Color(
            red: .random(in: 0...255, using: &random), green: .random(in: 0...255, using: &random),
            blue: .random(in: 0...255, using: &random), alpha: Bool.random(using: &random) ? 255 : .random(in: 1...255, using: &random))
    }

    @Test("Filled rectangles: analytic = general, ≤ 1 per sample", arguments: layouts)
    func filledRectangles(layout: PixelLayout) throws {
        var random = SeededGenerator(seed: 7 + UInt64(layout.channels))
        for trial in 0..<300 {
            let image = try randomBackground(layout, using: &random)
            let x = Double.random(in: -10...60, using: &random)
            let y = Double.random(in: -10...45, using: &random)
            let w = trial % 10 == 0 ? Double.random(in: 0...1, using: &random) : Double.random(in: 0...40, using: &random)
            let h = Double.random(in: 0...30, using: &random)
            let color = randomColor(using: &random)
            let opacity = trial % 3 == 0 ? 1 : Double.random(in: 0...1, using: &random)
            // snippet.begin: fast-and-naive
            var fast = Canvas(image: image)
            var naive = Canvas(image: image)
            naive._fastPaths = false
            try fast.fillRect(x: x, y: y, width: w, height: h, color: color, opacity: opacity)
            try naive.fillRect(x: x, y: y, width: w, height: h, color: color, opacity: opacity)
            let difference = maxSampleDifference(fast.image, naive.image)
            #expect(difference <= 1, "trial \(trial): rect (\(x), \(y), \(w), \(h)) differs by \(difference)")
            // snippet.end: fast-and-naive
        }
    }

    @Test("Rectangle outlines with miter joins: analytic = general stroker, ≤ 1 per sample", arguments: layouts)
    func rectangleOutlines(layout: PixelLayout) throws {
        var random = SeededGenerator(seed: 99 + UInt64(layout.channels))
        for trial in 0..<300 {
            let image = try randomBackground(layout, using: &random)
            let x = Double.random(in: -10...60, using: &random)
            let y = Double.random(in: -10...45, using: &random)
            let lineWidth = trial % 4 == 0 ? Double.random(in: 0.2...1, using: &random) : Double.random(in: 1...6, using: &random)
            // Boxes wider than the line: a stroke wider than its box makes the general outline overlap itself
            // at the box's edges, where exact-area accumulation counts the overlap twice (a known limit).
            let w = max(lineWidth, 1) + Double.random(in: 0.01...40, using: &random)
            let h = max(lineWidth, 1) + Double.random(in: 0.01...30, using: &random)
            let style = StrokeStyle(lineWidth: lineWidth, join: .miter)
            let color = randomColor(using: &random)
            var fast = Canvas(image: image)
            var naive = Canvas(image: image)
            naive._fastPaths = false
            try fast.strokeRect(x: x, y: y, width: w, height: h, style: style, color: color)
            try naive.strokeRect(x: x, y: y, width: w, height: h, style: style, color: color)
            let difference = maxSampleDifference(fast.image, naive.image)
            #expect(difference <= 1, "trial \(trial): rect (\(x), \(y), \(w), \(h)) width \(lineWidth) differs by \(difference)")
        }
    }

    @Test("Analytic rectangle coverage equals the rasterizer's float coverage within 1e-4")
    func exactCoverageAgreement() throws {
        var random = SeededGenerator(seed: 3)
        for _ in 0..<200 {
            let x = Double.random(in: -5...30, using: &random)
            let y = Double.random(in: -5...30, using: &random)
            let w = Double.random(in: 0.05...20, using: &random)
            let h = Double.random(in: 0.05...20, using: &random)
            let analytic = ExactCoverage.rectangle(outer: (x, y, x + w, y + h), inner: nil, width: 32, height: 32)
            let general = try ExactCoverage.fill(Path.rect(x: x, y: y, width: w, height: h), width: 32, height: 32)
            let worst = zip(analytic, general).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-4)
        }
    }

    @Test("Opaque solid spans equal the general blend at full coverage")
    func opaqueSpans() throws {
        var random = SeededGenerator(seed: 11)
        for layout in Self.layouts {
            let image = try randomBackground(layout, using: &random)
            let color = Color(red: 12, green: 200, blue: 77)
            var fast = Canvas(image: image)
            try fast.fillRect(x: 3, y: 4, width: 20, height: 10, color: color)
            // The same pixels through the mask compositor at coverage 255, one pixel per run.
            var slow = image
            for y in 4..<14 {
                for x in 3..<23 {
                    var mask = CoverageMask(originX: x, originY: y, width: 1, height: 1)
                    mask.coverage[0] = 255
                    slow.composite(mask, color: color.withAlpha(254), opacity: 1)
                    slow.composite(mask, color: color, opacity: 1)
                }
            }
            #expect(fast.image == slow)
        }
    }
}

