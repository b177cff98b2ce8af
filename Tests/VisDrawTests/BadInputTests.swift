import Foundation
import Testing
import VisCore
@testable import VisDraw

@Suite("Bad input: typed errors, clipping, no blow-ups")
struct BadInputTests {
    @Test("NaN and infinite coordinates are rejected naming the path")
    func nonFiniteCoordinates() throws {
        var canvas = try Canvas(width: 20, height: 20)
        for bad in [Double.nan, .infinity, -.infinity] {
            let path = Path.polygon([Point(1, 1), Point(bad, 5), Point(5, 9)])
            #expect(throws: VisDrawError.self) { try canvas.fill(path, color: Color(red: 255, green: 0, blue: 0)) }
            #expect(throws: VisDrawError.self) { try canvas.stroke(path, style: StrokeStyle(lineWidth: 2), color: Color(red: 255, green: 0, blue: 0)) }
            do {
                try canvas.fill(path, color: Color(red: 255, green: 0, blue: 0))
            } catch let VisDrawError.invalidGeometry(argument, reason) {
                #expect(argument == "path")
                #expect(reason.contains("element 1"))
            }
            #expect(throws: VisDrawError.invalidGeometry(argument: "radius", reason: "expected a finite number >= 0, got \(bad)")) {
                try canvas.fillCircle(center: Point(5, 5), radius: bad, color: Color(red: 0, green: 0, blue: 0))
            }
        }
        #expect(throws: VisDrawError.self) { try Path.circle(center: Point(0, 0), radius: -1) }
        #expect(canvas.image.pixels.allSatisfy { $0 == 0 })
    }

    @Test("Zero, negative and non-finite widths are typed errors naming lineWidth")
    func badWidths() throws {
        var canvas = try Canvas(width: 20, height: 20)
        for width in [0, -1, Double.nan, .infinity] {
            do {
                try canvas.stroke(Path.line(from: Point(1, 1), to: Point(9, 9)), style: StrokeStyle(lineWidth: width), color: Color(red: 1, green: 2, blue: 3))
                Issue.record("width \(width) accepted")
            } catch let VisDrawError.invalidArgument(argument, _, _) {
                #expect(argument == "lineWidth")
            }
        }
        #expect(throws: VisDrawError.self) { try canvas.stroke(Path.line(from: Point(1, 1), to: Point(9, 9)), style: StrokeStyle(lineWidth: 2, miterLimit: 0.5), color: Color(red: 1, green: 2, blue: 3)) }
        #expect(throws: VisDrawError.self) { try DashPattern(intervals: []) }
        #expect(throws: VisDrawError.self) { try DashPattern(intervals: [0, 0]) }
        #expect(throws: VisDrawError.self) { try DashPattern(intervals: [1, -1]) }
        #expect(throws: VisDrawError.self) { try DashPattern(intervals: [1, .nan]) }
        #expect(throws: VisDrawError.self) { try DashPattern(intervals: [1, 1], offset: .infinity) }
        #expect(throws: VisDrawError.self) { try canvas.fill(Path.rect(x: 1, y: 1, width: 3, height: 3), color: Color(red: 1, green: 2, blue: 3), opacity: 1.5) }
        #expect(throws: VisDrawError.self) { try canvas.fill(Path.rect(x: 1, y: 1, width: 3, height: 3), color: Color(red: 1, green: 2, blue: 3), opacity: .nan) }
    }

    @Test("Empty paths and transparent colours draw nothing")
    func emptyPaths() throws {
        var canvas = try Canvas(width: 20, height: 20)
        try canvas.fill(Path(), color: Color(red: 255, green: 255, blue: 255))
        try canvas.stroke(Path(), style: StrokeStyle(lineWidth: 3, cap: .round), color: Color(red: 255, green: 255, blue: 255))
        try canvas.fillCircle(center: Point(10, 10), radius: 0, color: Color(red: 255, green: 255, blue: 255))
        try canvas.fill(Path.rect(x: 2, y: 2, width: 10, height: 10), color: .none)
        try canvas.fill(Path.rect(x: 2, y: 2, width: 10, height: 10), color: Color(red: 255, green: 255, blue: 255), opacity: 0)
        var moveOnly = Path()
        moveOnly.move(to: Point(5, 5))
        moveOnly.closeSubpath()
        try canvas.fill(moveOnly, color: Color(red: 255, green: 255, blue: 255))
        #expect(canvas.image.pixels.allSatisfy { $0 == 0 })
        #expect(try canvas.coverageMask(filling: Path()).coverage.isEmpty)
    }

    @Test("Huge coordinates are clipped: the visible part is exact and the work stays small")
    func hugeCoordinates() throws {
        var canvas = try Canvas(width: 50, height: 40)
        let white = Color(red: 255, green: 255, blue: 255)
        // A line across ±1e9, solid and dashed with a tiny period: a few dashes, not billions.
        let line = Path.line(from: Point(-1e9, 20), to: Point(1e9, 20))
        try canvas.stroke(line, style: StrokeStyle(lineWidth: 2), color: white)
        #expect(canvas.image[25, 19, 0] == 255 && canvas.image[25, 20, 0] == 255 && canvas.image[25, 21, 0] == 0)
        try canvas.stroke(line, style: StrokeStyle(lineWidth: 2, lineStyle: .dotted), color: white)
        // Circles with huge radii, centred inside and outside, and curves with huge control points.
        try canvas.fillCircle(center: Point(25, 20), radius: 1e9, color: Color(red: 10, green: 20, blue: 30))
        #expect(canvas.image[0, 0, 0] == 10 && canvas.image[49, 39, 2] == 30)
        try canvas.strokeCircle(center: Point(25, 20), radius: 1e9, style: StrokeStyle(lineWidth: 3, lineStyle: .dashed), color: white)
        try canvas.strokeCircle(center: Point(1e9, -1e9), radius: 1e9 * 1.414, style: StrokeStyle(lineWidth: 3), color: white)
        var curve = Path()
        curve.move(to: Point(-1e9, -1e9))
        curve.addCurve(to: Point(1e9, 1e9), control1: Point(1e9, -1e9), control2: Point(-1e9, 1e9))
        try canvas.fill(curve, color: white)
        try canvas.stroke(curve, style: StrokeStyle(lineWidth: 1e9), color: white)
        let flat = curve.flattened(clip: _Box(minX: -1, minY: -1, maxX: 51, maxY: 41))
        #expect(flat.points.count < 20_000)
        // Huge widths are clipped too.
        try canvas.stroke(Path.polygon([Point(5, 5), Point(20, 30), Point(40, 5)], closed: false), style: StrokeStyle(lineWidth: 1e12, join: .round, cap: .round), color: white)
        #expect(canvas.image.pixels.allSatisfy { $0 == 255 })
        // A rectangle from far outside.
        var rects = try Canvas(width: 10, height: 10)
        try rects.fillRect(x: -1e9, y: 2.5, width: 1e9 + 5.5, height: 1e18, color: white)
        #expect(rects.image[5, 2, 0] == 64 && rects.image[5, 5, 0] == 128 && rects.image[4, 9, 0] == 255 && rects.image[6, 5, 0] == 0)
        let before = rects.image
        try rects.strokeRect(x: -1e9, y: -1e9, width: 2e9, height: 2e9, style: StrokeStyle(lineWidth: 2, join: .miter), color: Color(red: 0, green: 0, blue: 255))
        try rects.strokeRect(x: -1e9, y: -1e9, width: 2e9, height: 2e9, style: StrokeStyle(lineWidth: 2, join: .round), color: Color(red: 0, green: 0, blue: 255))
        #expect(rects.image == before)
    }

    @Test("A zero-sized image accepts draws and does nothing")
    func emptyImage() throws {
        var canvas = try Canvas(width: 0, height: 0)
        try canvas.fillCircle(center: Point(0, 0), radius: 5, color: Color(red: 1, green: 1, blue: 1))
        try canvas.strokeRect(x: 0, y: 0, width: 3, height: 3, style: StrokeStyle(lineWidth: 1), color: Color(red: 1, green: 1, blue: 1))
        #expect(canvas.image.pixels.isEmpty)
    }
}
