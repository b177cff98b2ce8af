import Foundation
import Testing
import VisTestSupport
import VisCore
@testable import VisDraw

/// The speed paths against their naive twins, on random input with fixed seeds: vector span blending against
/// the scalar loop, ellipses flattened without a path against filling ``Path/ellipse(center:radiusX:radiusY:)``,
/// rectangle outlines with round joins against the general stroker, and the exact quarter-disc area.
@Suite("Speed paths agree with their naive twins")
struct PerfPathDifferentialTests {
    static let layouts: [PixelLayout] = [.rgb, .rgba, .gray]

    func randomImage(_ layout: PixelLayout, width: Int, height: Int, using random: inout SeededGenerator) throws -> Image {
        let count = width * height * layout.channels
        return try Image(
            width: width, height: height, layout: layout,
            pixels: (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) })
    }

    func randomColor(using random: inout SeededGenerator) -> Color {
        Color(
            red: .random(in: 0...255, using: &random), green: .random(in: 0...255, using: &random),
            blue: .random(in: 0...255, using: &random),
            alpha: Bool.random(using: &random) ? 255 : .random(in: 1...255, using: &random))
    }

    @Test("Vector span blending equals the scalar loop exactly", arguments: layouts)
    func vectorBlend(layout: PixelLayout) throws {
        var random = SeededGenerator(seed: 41 + UInt64(layout.channels))
        for trial in 0..<400 {
            let color = randomColor(using: &random)
            let opacity = trial % 5 == 0 ? 1 : Double.random(in: 0...1, using: &random)
            guard let blender = _SpanBlender(color: color, opacity: opacity, layout: layout) else { continue }
            let count = 16 * Int.random(in: 1...8, using: &random)
            let offset = Int.random(in: 0...5, using: &random)  // unaligned starts
            var samples = (0..<((count + offset) * layout.channels)).map { _ in UInt8.random(in: 0...255, using: &random) }
            var expected = samples
            // Every weight: 0, full and in between (coverage 1...255 and the opaque 65536).
            let weight = trial % 7 == 0 ? blender.strength : blender.weight(coverage: Int.random(in: 0...255, using: &random))
            samples.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                blender.blendVector(base + offset * layout.channels, count: count, weight: weight)
            }
            expected.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                blender.blendScalar(base + offset * layout.channels, count: count, weight: weight)
            }
            #expect(samples == expected, "trial \(trial): \(layout) weight \(weight) count \(count)")
        }
    }

    @Test("Runs of any length blend as pixel-by-pixel blending does", arguments: layouts)
    func mixedRunLengths(layout: PixelLayout) throws {
        var random = SeededGenerator(seed: 5 + UInt64(layout.channels))
        for trial in 0..<200 {
            let color = randomColor(using: &random)
            guard let blender = _SpanBlender(color: color, opacity: 1, layout: layout) else { continue }
            let count = Int.random(in: 1...70, using: &random)
            var samples = (0..<(count * layout.channels)).map { _ in UInt8.random(in: 0...255, using: &random) }
            var expected = samples
            let weight = blender.weight(coverage: Int.random(in: 1...255, using: &random))
            samples.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                blender.blend(base, count: count, weight: weight)
            }
            expected.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                for pixel in 0..<count { blender.blendScalar(base + pixel * layout.channels, count: 1, weight: weight) }
            }
            #expect(samples == expected, "trial \(trial): \(layout) count \(count)")
        }
    }

    @Test("Mask compositing (runs, vector runs, branch-free pixels) equals blending pixel by pixel", arguments: layouts)
    func maskCompositing(layout: PixelLayout) throws {
        var random = SeededGenerator(seed: 77 + UInt64(layout.channels))
        for trial in 0..<150 {
            let image = try randomImage(layout, width: 64, height: 48, using: &random)
            let width = Int.random(in: 1...80, using: &random)
            let height = Int.random(in: 1...30, using: &random)
            // Stretches of zeros, of one value (solid) and of random values (glyph edges).
            var coverage: [UInt8] = []
            while coverage.count < width * height {
                let length = Int.random(in: 1...40, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: coverage += [UInt8](repeating: 0, count: length)
                case 1: coverage += [UInt8](repeating: Bool.random(using: &random) ? 255 : .random(in: 1...255, using: &random), count: length)
                default: coverage += (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
                }
            }
            let mask = try #require(
                CoverageMask(
                    originX: Int.random(in: -20...50, using: &random), originY: Int.random(in: -10...40, using: &random),
                    width: width, height: height, coverage: Array(coverage.prefix(width * height))))
            let color = randomColor(using: &random)
            let opacity = trial % 3 == 0 ? 1 : Double.random(in: 0...1, using: &random)
            var fast = image
            fast.composite(mask, color: color, opacity: opacity)
            var naive = image
            if let blender = _SpanBlender(color: color, opacity: opacity, layout: layout) {
                naive.pixels.withUnsafeMutableBufferPointer { buffer in
                    guard let base = buffer.baseAddress else { return }
                    for y in 0..<height where (0..<48).contains(y + mask.originY) {
                        for x in 0..<width where (0..<64).contains(x + mask.originX) {
                            let pixel = base + ((y + mask.originY) * 64 + x + mask.originX) * layout.channels
                            let weight = blender.weight(coverage: Int(mask.coverage[y * width + x]))
                            blender.blendScalar(pixel, count: 1, weight: weight)
                        }
                    }
                }
            }
            #expect(fast == naive, "trial \(trial): \(layout) mask \(width)×\(height) at \(mask.originX), \(mask.originY)")
        }
    }

    @Test("Circles and ellipses without a path equal filling their path", arguments: layouts)
    func ellipses(layout: PixelLayout) throws {
        var random = SeededGenerator(seed: 17 + UInt64(layout.channels))
        for trial in 0..<200 {
            let image = try randomImage(layout, width: 64, height: 48, using: &random)
            // Wholly inside, crossing every edge, and far outside.
            let center = Point(Double.random(in: -20...84, using: &random), Double.random(in: -20...68, using: &random))
            let radiusX = trial % 10 == 0 ? Double.random(in: 0...1, using: &random) : Double.random(in: 0.5...40, using: &random)
            let radiusY = trial % 2 == 0 ? radiusX : Double.random(in: 0.5...40, using: &random)
            let color = randomColor(using: &random)
            let opacity = trial % 3 == 0 ? 1 : Double.random(in: 0...1, using: &random)
            var fast = Canvas(image: image)
            var naive = Canvas(image: image)
            naive._fastPaths = false
            if radiusX == radiusY {
                try fast.fillCircle(center: center, radius: radiusX, color: color, opacity: opacity)
                try naive.fillCircle(center: center, radius: radiusX, color: color, opacity: opacity)
            } else {
                try fast.fillEllipse(center: center, radiusX: radiusX, radiusY: radiusY, color: color, opacity: opacity)
                try naive.fillEllipse(center: center, radiusX: radiusX, radiusY: radiusY, color: color, opacity: opacity)
            }
            let difference = maxSampleDifference(fast.image, naive.image)
            #expect(difference == 0, "trial \(trial): ellipse at \(center) radii \(radiusX), \(radiusY) differs by \(difference)")
        }
    }

    @Test("Polygons inside the clip skip clipping and rasterize exactly as clipped edges do")
    func unclippedPolygons() throws {
        var random = SeededGenerator(seed: 2718)
        for trial in 0..<200 {
            var points = (0..<Int.random(in: 3...12, using: &random)).map { _ in
                Point(Double.random(in: 0..<40, using: &random), Double.random(in: 0...30, using: &random))
            }
            // Edges flat only after rounding to Float.
            if trial % 4 == 0 { points[1].y = points[0].y + 1e-12 }
            let shortcut = _Rasterizer()
            shortcut.reset(clipWidth: 40, clipHeight: 30)
            points.withUnsafeBufferPointer { shortcut.addPolygon($0) }
            let clipped = _Rasterizer()
            clipped.reset(clipWidth: 40, clipHeight: 30)
            for index in points.indices { clipped.addEdge(points[(index + points.count - 1) % points.count], points[index]) }
            var a = _FloatCoverageSink(width: 40, coverage: [Float](repeating: 0, count: 40 * 30))
            var b = a
            shortcut.render(rule: .nonZero, into: &a)
            clipped.render(rule: .nonZero, into: &b)
            #expect(a.coverage == b.coverage, "trial \(trial)")
            #expect(!a.coverage.contains { $0.isNaN })
        }
    }

    @Test("Bad circles raise the general route's errors")
    func ellipseErrors() throws {
        var canvas = try Canvas(width: 8, height: 8)
        let color = Color(red: 1, green: 2, blue: 3)
        #expect(throws: VisDrawError.invalidGeometry(argument: "radius", reason: "expected a finite number >= 0, got -1.0")) {
            try canvas.fillCircle(center: Point(1, 1), radius: -1, color: color)
        }
        #expect(throws: VisDrawError.invalidGeometry(argument: "radiusY", reason: "expected a finite number >= 0, got nan")) {
            try canvas.fillEllipse(center: Point(1, 1), radiusX: 2, radiusY: .nan, color: color)
        }
        do {
            try canvas.fillCircle(center: Point(.infinity, 1), radius: 2, color: color)
            Issue.record("an infinite centre drew")
        } catch let error as VisDrawError {
            guard case .invalidGeometry(let argument, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(argument == "path")
        }
        #expect(throws: VisDrawError.self) { try canvas.fillCircle(center: Point(1, 1), radius: 2, color: color, opacity: 2) }
    }

    /// The stroker's round joins are polygons within 0.02 px of the arc (area-preserving vertices), which moves
    /// corner pixels of joins wider than 6 px by up to 2/255; the analytic corner is exact (see the area test).
    @Test("fillRect and strokeRect without a path raise the general route's errors")
    func rectangleErrors() throws {
        let color = Color(red: 1, green: 2, blue: 3)
        for fast in [true, false] {
            var canvas = try Canvas(width: 8, height: 8)
            canvas._fastPaths = fast
            let nonFinite = try #require(throws: VisDrawError.self) {
                try canvas.fillRect(x: .nan, y: 0, width: 2, height: 2, color: color)
            }
            guard case .invalidGeometry(let argument, _) = nonFinite else {
                Issue.record("unexpected \(nonFinite)")
                continue
            }
            #expect(argument == "path")
            #expect(throws: VisDrawError.invalidArgument(argument: "opacity", expected: "a number in 0...1", actual: "2.0")) {
                try canvas.fillRect(x: 1, y: 1, width: 2, height: 2, color: color, opacity: 2)
            }
            #expect(throws: VisDrawError.invalidArgument(argument: "lineWidth", expected: "a finite width > 0 pixels", actual: "0.0")) {
                try canvas.strokeRect(x: 1, y: 1, width: 2, height: 2, style: StrokeStyle(lineWidth: 0), color: color)
            }
            #expect(throws: VisDrawError.self) {
                try canvas.strokeRect(x: 1, y: .infinity, width: 2, height: 2, style: StrokeStyle(lineWidth: 1), color: color)
            }
            #expect(canvas.image.pixels.allSatisfy { $0 == 0 })
        }
    }

    @Test("Rectangle outlines with round joins: analytic = general stroker, ≤ 1 per sample (≤ 2 over 6 px)", arguments: layouts)
    func roundJoinOutlines(layout: PixelLayout) throws {
        var random = SeededGenerator(seed: 123 + UInt64(layout.channels))
        for trial in 0..<300 {
            let image = try randomImage(layout, width: 64, height: 48, using: &random)
            let x = Double.random(in: -10...60, using: &random)
            let y = Double.random(in: -10...45, using: &random)
            let lineWidth =
                trial % 4 == 0 ? Double.random(in: 0.2...1, using: &random) : Double.random(in: 1...8, using: &random)
            // Boxes wider than the line, as in the miter test (a wider line overlaps itself in the general path).
            let w = max(lineWidth, 1) + Double.random(in: 0.01...40, using: &random)
            let h = max(lineWidth, 1) + Double.random(in: 0.01...30, using: &random)
            let style = StrokeStyle(lineWidth: lineWidth, join: .round)
            let color = randomColor(using: &random)
            let opacity = trial % 3 == 0 ? 1 : Double.random(in: 0...1, using: &random)
            var fast = Canvas(image: image)
            var naive = Canvas(image: image)
            naive._fastPaths = false
            try fast.strokeRect(x: x, y: y, width: w, height: h, style: style, color: color, opacity: opacity)
            try naive.strokeRect(x: x, y: y, width: w, height: h, style: style, color: color, opacity: opacity)
            let difference = maxSampleDifference(fast.image, naive.image)
            #expect(
                difference <= (lineWidth > 6 ? 2 : 1), "trial \(trial): rect (\(x), \(y), \(w), \(h)) width \(lineWidth) differs by \(difference)")
        }
    }

    @Test("A round-joined outline covers (outer box − 4 corner cuts) − inner box")
    func roundJoinArea() throws {
        let half = 3.0
        let box = (x: 10.25, y: 8.5, w: 30.0, h: 20.75)
        var sink = _FloatCoverageSink(width: 64, coverage: [Float](repeating: 0, count: 64 * 48))
        let outer = _Box(minX: box.x - half, minY: box.y - half, maxX: box.x + box.w + half, maxY: box.y + box.h + half)
        let inner = _Box(minX: box.x + half, minY: box.y + half, maxX: box.x + box.w - half, maxY: box.y + box.h - half)
        _rectangleCoverage(outer: outer, cornerRadius: half, inner: inner, width: 64, height: 48, into: &sink)
        let expected =
            (box.w + 2 * half) * (box.h + 2 * half) - 4 * (half * half - Double.pi * half * half / 4)
            - (box.w - 2 * half) * (box.h - 2 * half)
        #expect(abs(ExactCoverage.sum(sink.coverage) - expected) < 1e-3)
    }

    @Test("Quarter-disc area: whole quarter, half-planes and sampled cells")
    func quarterDisc() {
        let r = 2.5
        #expect(abs(_quarterDiscArea(u0: 0, u1: r, v0: 0, v1: r, radius: r) - Double.pi * r * r / 4) < 1e-12)
        #expect(_quarterDiscArea(u0: 0, u1: 1, v0: 0, v1: 1, radius: r) == 1)
        #expect(_quarterDiscArea(u0: 2, u1: 2.5, v0: 2, v1: 2.5, radius: r) == 0)
        // A grid of cells sums to the quarter disc.
        var total = 0.0
        let steps = 7
        let cell = r / Double(steps)
        for i in 0..<steps {
            for j in 0..<steps {
                total += _quarterDiscArea(
                    u0: Double(i) * cell, u1: Double(i + 1) * cell, v0: Double(j) * cell, v1: Double(j + 1) * cell, radius: r)
            }
        }
        #expect(abs(total - Double.pi * r * r / 4) < 1e-9)
        // Against midpoint sampling on an odd cell.
        var sampled = 0.0
        let n = 2000
        for i in 0..<n {
            let u = 1.3 + (Double(i) + 0.5) / Double(n) * 0.9
            sampled += max(min((r * r - u * u).squareRoot(), 1.7) - 0.6, 0) * 0.9 / Double(n)
        }
        #expect(abs(_quarterDiscArea(u0: 1.3, u1: 2.2, v0: 0.6, v1: 1.7, radius: r) - sampled) < 1e-6)
    }

    @Test("Fast paths stay within the clip for coordinates far outside the image")
    func farCoordinates() throws {
        var canvas = try Canvas(width: 16, height: 16)
        let color = Color(red: 200, green: 10, blue: 10)
        try canvas.strokeRect(
            x: -1e12, y: -1e12, width: 2e12 + 8, height: 2e12 + 8, style: StrokeStyle(lineWidth: 4, join: .round),
            color: color)
        try canvas.strokeRect(
            x: 4, y: 4, width: 1e12, height: 1e12, style: StrokeStyle(lineWidth: 1e9, join: .round), color: color)
        try canvas.fillCircle(center: Point(1e12, 1e12), radius: 1e12, color: color)
        #expect(canvas.image.pixels.contains { $0 != 0 })
    }
}
