import Foundation
import Testing
import VisCore
import VisDraw
@testable import VisPlot

/// The fast paths: simplified long lines and stamped markers draw what the plain routes draw.
@Suite("Fast rendering paths")
struct RenderingTests {
    static func meanDifference(_ a: Image, _ b: Image) -> Double {
        var total = 0
        for index in a.pixels.indices { total += abs(Int(a.pixels[index]) - Int(b.pixels[index])) }
        return Double(total) / Double(max(a.pixels.count, 1))
    }

    @Test("a 100 000-point line keeps a few thousand vertices and looks the same as the unsimplified one")
    func simplification() throws {
        let count = 100_000
        let xs = (0..<count).map(Double.init)
        let ys = xs.map { exp(-$0 / 30_000) + 0.05 * sin($0 * 0.37) }
        let x = _AxisTransform(scale: .linear, start: 0, end: Double(count), origin: 80, length: 496)
        let y = _AxisTransform(scale: .linear, start: 0.2, end: 1.1, origin: 427, length: -370)
        let simplified = _simplifiedPolyline(xs, ys, x: x, y: y)
        #expect(simplified.elements.count < count / 10)
        #expect(simplified.elements.count > 100)
        let full = Path.polygon(zip(xs, ys).map { Point(x.pixel($0), y.pixel($1)) }, closed: false)
        let style = StrokeStyle(lineWidth: 2.08, join: .round, cap: .square)
        var a = try Canvas(width: 640, height: 480, background: Color(red: 255, green: 255, blue: 255))
        var b = a
        try a.stroke(simplified, style: style, color: ColorPalette.tab10[0])
        try b.stroke(full, style: style, color: ColorPalette.tab10[0])
        let difference = Self.meanDifference(a.image, b.image)
        #expect(difference < 0.5, "mean difference \(difference)")
    }

    @Test("NaN breaks a simplified line into separate subpaths")
    func nanBreaks() {
        let x = _AxisTransform(scale: .linear, start: 0, end: 10, origin: 0, length: 100)
        let y = _AxisTransform(scale: .linear, start: 0, end: 10, origin: 100, length: -100)
        let path = _simplifiedPolyline([0, 1, 2, 3, 4, 5], [0, 1, .nan, 3, 4, 5], x: x, y: y)
        let moves = path.elements.filter { if case .move = $0 { return true } else { return false } }
        #expect(moves.count == 2)
        // A lone finite point between gaps draws nothing (no marker), like matplotlib.
        let lone = _simplifiedPolyline([0, 1, 2], [.nan, 1, .nan], x: x, y: y)
        #expect(lone.isEmpty)
    }

    @Test("stamped scatter markers match markers filled one by one")
    func stampedMarkers() throws {
        var stamped = try RasterRenderer(width: 200, height: 200)
        var reference = try Canvas(width: 200, height: 200, background: Color(red: 255, green: 255, blue: 255))
        let marker = Marker.circle.path(size: 8)
        var points: [Point] = []
        var generator = 0.5
        for _ in 0..<300 {
            generator = (generator * 9301 + 49297).truncatingRemainder(dividingBy: 233_280)
            let px = 10 + generator / 233_280 * 180
            generator = (generator * 9301 + 49297).truncatingRemainder(dividingBy: 233_280)
            points.append(Point(px, 10 + generator / 233_280 * 180))
        }
        let colors = points.indices.map { ColorPalette.tab20[$0] }
        try stamped.drawMarkers(marker, at: points, faceColors: colors, edgeColors: [], edgeWidth: 0, alpha: 1)
        for (point, color) in zip(points, colors) {
            try reference.fill(marker._translated(point.x, point.y), color: color)
        }
        let difference = Self.meanDifference(stamped.image, reference.image)
        #expect(difference < 1.5, "mean difference \(difference)")
    }
}
