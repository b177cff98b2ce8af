import Foundation
import Testing
import VisCore
import VisDraw
import VisTestSupport

/// Rendered scenes compared with committed PNGs (regenerate with `VIS_REGENERATE_GOLDEN=1`). Exact match: the
/// rasterizer is deterministic integer-rounded output of float math that does not depend on the platform's
/// libm except through sin/cos of arc steps, so a tolerance of 2 per sample absorbs that.
@Suite("Golden images")
struct GoldenImageTests {
    static let directory = TestSupport.packageRoot.appendingPathComponent("Tests/VisDrawTests/Golden")
    static let white = Color(red: 255, green: 255, blue: 255)
    static let ink = Color(red: 20, green: 60, blue: 160)

    func check(_ canvas: Canvas, _ name: String) throws {
        let result = try TestSupport.compareWithGolden(canvas.image, name: name, directory: Self.directory, tolerance: 2)
        #expect(result.differingSamples == 0, "\(name): \(result.differingSamples) samples differ (max \(result.maxDifference)); rendered: \(result.actualPath ?? "-")")
    }

    @Test("Joins: miter, round, bevel on a zigzag, three widths")
    func joins() throws {
        var canvas = try Canvas(width: 240, height: 150, background: Self.white)
        for (row, width) in [3.0, 8, 14].enumerated() {
            for (column, join) in [LineJoin.miter, .round, .bevel].enumerated() {
                let x = 15 + Double(column) * 80
                let y = 15 + Double(row) * 45
                let points = [Point(x, y + 30), Point(x + 15, y), Point(x + 30, y + 30), Point(x + 55, y + 12)]
                try canvas.strokePolyline(points, closed: false, style: StrokeStyle(lineWidth: width, join: join), color: Self.ink)
            }
        }
        try check(canvas, "joins.png")
    }

    @Test("Caps: butt, round, square, with the centre line drawn over them")
    func caps() throws {
        var canvas = try Canvas(width: 200, height: 120, background: Self.white)
        for (index, cap) in [LineCap.butt, .round, .square].enumerated() {
            let y = 25.5 + Double(index) * 35
            try canvas.drawLine(from: Point(40, y), to: Point(160, y - 8), style: StrokeStyle(lineWidth: 18, cap: cap), color: Self.ink)
            try canvas.drawLine(from: Point(40, y), to: Point(160, y - 8), style: StrokeStyle(lineWidth: 1), color: Color(red: 230, green: 30, blue: 30))
        }
        // A zero-length segment with round and square caps.
        try canvas.drawLine(from: Point(185, 30), to: Point(185, 30), style: StrokeStyle(lineWidth: 12, cap: .round), color: Self.ink)
        try canvas.drawLine(from: Point(185, 70), to: Point(185, 70), style: StrokeStyle(lineWidth: 12, cap: .square), color: Self.ink)
        try check(canvas, "caps.png")
    }

    @Test("Dashes: the four MMEngine styles at widths 1, 2, 3 and 5, straight and on a circle")
    func dashes() throws {
        var canvas = try Canvas(width: 320, height: 200, background: Self.white)
        for (row, style) in LineStyle.allCases.enumerated() {
            for (index, width) in [1.0, 2, 3, 5].enumerated() {
                let y = 10.5 + Double(row * 4 + index) * 8.5
                try canvas.drawLine(from: Point(10, y), to: Point(200, y), style: StrokeStyle(lineWidth: width, lineStyle: style), color: Self.ink)
            }
            try canvas.strokeCircle(
                center: Point(245 + Double(row % 2) * 50, 30 + Double(row / 2) * 48), radius: 18,
                style: StrokeStyle(lineWidth: 2, lineStyle: style), color: row % 2 == 0 ? Self.ink : Color(red: 200, green: 40, blue: 40))
        }
        try canvas.strokeRect(x: 225.5, y: 125.5, width: 80, height: 60, style: StrokeStyle(lineWidth: 3, lineStyle: .dashDot), color: Self.ink)
        try check(canvas, "dashes.png")
    }

    @Test("Alpha stacking: overlapping semi-transparent fills on RGB and RGBA")
    func alphaStacking() throws {
        var canvas = try Canvas(width: 160, height: 110, background: Self.white)
        let colors = [Color(red: 230, green: 30, blue: 30), Color(red: 30, green: 180, blue: 30), Color(red: 30, green: 30, blue: 230)]
        for (index, color) in colors.enumerated() {
            let angle = Double(index) * 2 * Double.pi / 3 - Double.pi / 2
            try canvas.fillCircle(center: Point(55 + 18 * cos(angle), 55 + 18 * sin(angle)), radius: 30, color: color, opacity: 0.5)
        }
        try canvas.fillRect(x: 100.5, y: 10.25, width: 45, height: 80, color: Color(red: 0, green: 0, blue: 0, alpha: 128))
        try canvas.fillRect(x: 115, y: 30, width: 40.5, height: 20.5, color: Color(red: 250, green: 200, blue: 0), opacity: 0.6)
        try check(canvas, "alpha-stacking-rgb.png")
        var rgba = try Canvas(width: 100, height: 80, layout: .rgba, background: Color(red: 0, green: 0, blue: 0, alpha: 0))
        try rgba.fillCircle(center: Point(40, 40), radius: 28, color: colors[0], opacity: 0.6)
        try rgba.fillCircle(center: Point(60, 40), radius: 28, color: colors[2], opacity: 0.6)
        try check(rgba, "alpha-stacking-rgba.png")
    }

    @Test("Circles and ellipses: fills and strokes from 1 to 60 px")
    func circlesAndEllipses() throws {
        var canvas = try Canvas(width: 260, height: 140, background: Self.white)
        var x = 6.0
        for radius in [0.5, 1, 1.5, 2.5, 4, 7, 12, 20] {
            try canvas.fillCircle(center: Point(x + radius, 30.3), radius: radius, color: Self.ink)
            try canvas.strokeCircle(center: Point(x + radius, 80.7), radius: radius, style: StrokeStyle(lineWidth: 1.5), color: Self.ink)
            x += 2 * radius + 8
        }
        try canvas.fillEllipse(center: Point(215, 40), radiusX: 38, radiusY: 18, color: Color(red: 240, green: 160, blue: 20))
        try canvas.strokeEllipse(center: Point(215, 100), radiusX: 20, radiusY: 32, style: StrokeStyle(lineWidth: 4), color: Self.ink)
        try check(canvas, "circles-ellipses.png")
    }

    @Test("Polygons: a self-intersecting star under non-zero and even-odd, a concave polygon, box outlines")
    func polygons() throws {
        var canvas = try Canvas(width: 260, height: 130, background: Self.white)
        for (index, rule) in [FillRule.nonZero, .evenOdd].enumerated() {
            let center = Point(50 + Double(index) * 100, 55)
            let star = (0..<5).map { k -> Point in
                let angle = -Double.pi / 2 + Double(k) * 4 * Double.pi / 5
                return Point(center.x + 45 * cos(angle), center.y + 45 * sin(angle))
            }
            try canvas.fillPolygon(star, color: Self.ink, rule: rule)
            try canvas.strokePolyline(star, closed: true, style: StrokeStyle(lineWidth: 1.5), color: Color(red: 230, green: 30, blue: 30))
        }
        try canvas.fillPolygon([Point(210, 10), Point(250, 20), Point(225, 40), Point(250, 70), Point(205, 60)], color: Color(red: 30, green: 160, blue: 60))
        // Box outlines as the Visualizer draws them: analytic (miter) and round-joined, fractional positions.
        try canvas.strokeRect(x: 10.3, y: 108.6, width: 60, height: 15, style: StrokeStyle(lineWidth: 2, join: .miter), color: Self.ink)
        try canvas.strokeRect(x: 90.5, y: 108.5, width: 60, height: 15, style: StrokeStyle(lineWidth: 2.78), color: Self.ink)
        try canvas.strokeRect(x: 170, y: 108, width: 60, height: 15, style: StrokeStyle(lineWidth: 1), color: Self.ink)
        try check(canvas, "polygons.png")
    }
}
