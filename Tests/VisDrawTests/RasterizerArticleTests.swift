import Foundation
import Testing
import VisCore
import VisTestSupport

@testable import VisDraw

/// The examples of the DocC article "The rasterizer", run and checked (the article quotes the marked regions;
/// the "Documentation snippets" suite checks the quotes).
@Suite("Rasterizer article examples")
struct RasterizerArticleTests {
    static let white = Color(red: 255, green: 255, blue: 255)

    @Test("a closed cubic outline fills its inside and leaves the outside untouched")
    func fillPath() throws {
        // snippet.begin: fill-path
        var canvas = try Canvas(width: 120, height: 80, background: .white)
        var hill = Path()
        hill.move(to: Point(x: 10, y: 70))
        hill.addCurve(to: Point(x: 110, y: 70), control1: Point(x: 30, y: 0), control2: Point(x: 90, y: 0))
        hill.closeSubpath()
        try canvas.fill(hill, color: Color(red: 30, green: 90, blue: 200))
        // snippet.end: fill-path
        #expect(canvas.image[60, 60, 0] == 30 && canvas.image[60, 60, 2] == 200)
        #expect(canvas.image[5, 5, 0] == 255)
        // Exact area (Green's theorem on the Bézier): ∫ (70 − y) dx over t in 0...1 = 3780 px².
        let mask = try canvas.coverageMask(filling: hill)
        let area = mask.coverage.reduce(0.0) { $0 + Double($1) / 255 }
        #expect(abs(area - 3780) < 3780 * 0.005, "area \(area)")
    }

    @Test("strokes: MMEngine's dashed style with round joins and butt caps, and an SVG-style square cap")
    func strokes() throws {
        var canvas = try Canvas(width: 160, height: 80, background: Self.white)
        // snippet.begin: stroke
        let zigzag = Path.polygon(
            [Point(x: 10, y: 60), Point(x: 50, y: 20), Point(x: 90, y: 60), Point(x: 130, y: 20)], closed: false)
        // 2 pt at 100 dpi, dashed as matplotlib's '--': 3.7 on, 1.6 off, in line widths.
        let dashed = StrokeStyle(lineWidth: 2 * 100 / 72, lineStyle: .dashed)
        try canvas.stroke(zigzag, style: dashed, color: Color(red: 0, green: 128, blue: 0))
        let capped = StrokeStyle(lineWidth: 6, join: .miter, cap: .square)
        try canvas.stroke(.line(from: Point(x: 20, y: 72), to: Point(x: 140, y: 72)), style: capped, color: .black)
        // snippet.end: stroke
        #expect(dashed.dash?.intervals.count == 2)
        // The square cap reaches half the width past the end point: x = 140 + 3 is covered, 144 is not.
        #expect(canvas.image[142, 72, 0] == 0 && canvas.image[144, 72, 0] == 255)
    }

    @Test("coverage is exact area: a circle of radius 20 covers 400π px² within 0.5 %")
    func exactArea() throws {
        let canvas = try Canvas(width: 64, height: 64)
        // snippet.begin: coverage
        let disc = try Path.circle(center: Point(x: 31.3, y: 30.8), radius: 20)
        let mask = try canvas.coverageMask(filling: disc)
        let coveredPixels = mask.coverage.reduce(0.0) { $0 + Double($1) / 255 }  // ≈ 400π ≈ 1256.6
        // snippet.end: coverage
        #expect(abs(coveredPixels - 400 * Double.pi) < 400 * Double.pi * 0.005, "area \(coveredPixels)")
    }

    @Test("fill rules: even-odd empties the pentagram's centre, non-zero fills it")
    func fillRules() throws {
        // snippet.begin: fill-rule
        let star = Path.polygon(
            (0..<5).map { index in
                let angle = -Double.pi / 2 + Double(index * 2) * 2 * Double.pi / 5  // every second vertex
                return Point(x: 50 + 40 * cos(angle), y: 50 + 40 * sin(angle))
            })
        var nonZero = try Canvas(width: 100, height: 100, background: .white)
        var evenOdd = nonZero
        try nonZero.fill(star, color: .black, rule: .nonZero)  // the centre is filled (winding 2)
        try evenOdd.fill(star, color: .black, rule: .evenOdd)  // the centre is empty (winding 2 is even)
        // snippet.end: fill-rule
        #expect(nonZero.image[50, 50, 0] == 0)
        #expect(evenOdd.image[50, 50, 0] == 255)
        #expect(nonZero.image[50, 15, 0] == 0 && evenOdd.image[50, 15, 0] == 0)
    }
}
