import Foundation
import Testing
import VisCore
@testable import VisDraw

@Suite("Strokes: widths, joins, caps")
struct StrokeTests {
    @Test("Stroke width measured across lines at many angles is within 0.1 px", arguments: [1.0, 2, 2.78, 5, 10])
    func widthAcrossAngles(width: Double) throws {
        let size = 200
        let center = Point(100.37, 99.81)
        for step in 0..<24 {
            let angle = Double(step) * Double.pi / 24
            let direction = Point(cos(angle), sin(angle))
            let path = Path.line(from: center - direction * 90, to: center + direction * 90)
            let coverage = try ExactCoverage.stroke(path, style: StrokeStyle(lineWidth: width), width: size, height: size)
            // A pixel column (or row, for steep lines) near the middle is a cross-section of the band; its summed
            // coverage is the band's vertical (horizontal) extent, width / |cos| (/ |sin|).
            var measured: Double
            if abs(direction.x) >= abs(direction.y) {
                let column = 110
                measured = (0..<size).reduce(0.0) { $0 + Double(coverage[$1 * size + column]) } * abs(direction.x)
            } else {
                let row = 110
                measured = (0..<size).reduce(0.0) { $0 + Double(coverage[row * size + $1]) } * abs(direction.y)
            }
            #expect(abs(measured - width) <= 0.1, "width \(width) at \(Double(step) * 7.5)°: \(measured)")
        }
    }

    @Test("Caps add nothing (butt), a w×w/2 square per end (square) or a disc (round)")
    func capAreas() throws {
        let width = 6.0
        let length = 40.0
        let path = Path.line(from: Point(20.3, 30.6), to: Point(20.3 + length * 0.6, 30.6 + length * 0.8))
        func area(_ cap: LineCap) throws -> Double {
            ExactCoverage.sum(try ExactCoverage.stroke(path, style: StrokeStyle(lineWidth: width, cap: cap), width: 80, height: 80))
        }
        #expect(abs(try area(.butt) - length * width) < 0.05)
        #expect(abs(try area(.square) - (length + width) * width) < 0.05)
        let round = try area(.round)
        let expected = length * width + Double.pi * width * width / 4
        #expect(abs(round - expected) / expected < 0.003)
    }

    @Test("A right-angle corner adds hw² (miter), π·hw²/4 (round) or hw²/2 (bevel) outside the two arms")
    func joinAreas() throws {
        let width = 8.0
        let half = width / 2
        let path = Path.polygon([Point(10.5, 20.25), Point(60.5, 20.25), Point(60.5, 70.25)], closed: false)
        func area(_ join: LineJoin) throws -> Double {
            ExactCoverage.sum(try ExactCoverage.stroke(path, style: StrokeStyle(lineWidth: width, join: join), width: 90, height: 90))
        }
        // Two 50 px arms of width 8 overlap in an hw×hw square at the inner side of the corner.
        let arms = 2 * 50 * width - half * half
        #expect(abs(try area(.miter) - (arms + half * half)) < 0.05)
        #expect(abs(try area(.bevel) - (arms + half * half / 2)) < 0.05)
        let round = try area(.round)
        #expect(abs(round - (arms + Double.pi * half * half / 4)) < 0.1)
    }

    @Test("Sharp angles beyond the miter limit are bevelled")
    func miterLimit() throws {
        // A 20° spike: its miter would reach 1/sin(10°) ≈ 5.8 widths out.
        let path = Path.polygon([Point(10, 80), Point(90, 50), Point(10, 50 - 80 * tan(Double.pi / 9) + 30)], closed: false)
        let limited = ExactCoverage.sum(try ExactCoverage.stroke(path, style: StrokeStyle(lineWidth: 6, join: .miter, miterLimit: 4), width: 150, height: 150))
        let bevel = ExactCoverage.sum(try ExactCoverage.stroke(path, style: StrokeStyle(lineWidth: 6, join: .bevel), width: 150, height: 150))
        let unlimited = ExactCoverage.sum(try ExactCoverage.stroke(path, style: StrokeStyle(lineWidth: 6, join: .miter, miterLimit: 10), width: 150, height: 150))
        #expect(abs(limited - bevel) < 1e-3)
        #expect(unlimited > bevel + 5)
    }

    @Test("Closed outlines have no caps and a hole; a stroked circle covers its annulus")
    func closedOutlines() throws {
        let square = ExactCoverage.sum(try ExactCoverage.stroke(Path.rect(x: 20.5, y: 20.5, width: 40, height: 30), style: StrokeStyle(lineWidth: 4, join: .miter), width: 100, height: 100))
        #expect(abs(square - (44 * 34 - 36 * 26)) < 0.01)
        let radius = 30.0
        let ring = ExactCoverage.sum(try ExactCoverage.stroke(try Path.circle(center: Point(50.2, 49.7), radius: radius), style: StrokeStyle(lineWidth: 5), width: 100, height: 100))
        let expected = Double.pi * ((radius + 2.5) * (radius + 2.5) - (radius - 2.5) * (radius - 2.5))
        #expect(abs(ring - expected) / expected < 0.005)
        // Wider than the circle: a full disc, no hole.
        let thick = try ExactCoverage.stroke(try Path.circle(center: Point(50, 50), radius: 4), style: StrokeStyle(lineWidth: 12), width: 100, height: 100)
        #expect(thick[50 * 100 + 50] == 1)
        #expect(abs(ExactCoverage.sum(thick) - Double.pi * 100) / (Double.pi * 100) < 0.01)
    }

    @Test("Hairlines under 1 px draw 1 px wide at width-scaled strength")
    func hairlines() throws {
        let canvas = try Canvas(width: 60, height: 20)
        let path = Path.line(from: Point(5, 10.5), to: Point(55, 10.5))
        let full = try canvas.coverageMask(stroking: path, style: StrokeStyle(lineWidth: 1))
        let hair = try canvas.coverageMask(stroking: path, style: StrokeStyle(lineWidth: 0.25))
        let fullSum = full.coverage.reduce(0) { $0 + Int($1) }
        let hairSum = hair.coverage.reduce(0) { $0 + Int($1) }
        #expect(fullSum == 50 * 255)
        #expect(abs(Double(hairSum) / 255 - 50 * 0.25) < 0.5)
        #expect(hair.coverage.max() == 64)
    }

    @Test("Zero-length subpaths show round and square caps, butt caps draw nothing")
    func degenerateSegments() throws {
        let path = Path.line(from: Point(20.5, 20.5), to: Point(20.5, 20.5))
        let round = ExactCoverage.sum(try ExactCoverage.stroke(path, style: StrokeStyle(lineWidth: 6, cap: .round), width: 40, height: 40))
        #expect(abs(round - Double.pi * 9) / (Double.pi * 9) < 0.005)
        let square = ExactCoverage.sum(try ExactCoverage.stroke(path, style: StrokeStyle(lineWidth: 6, cap: .square), width: 40, height: 40))
        #expect(abs(square - 36) < 1e-3)
        let butt = ExactCoverage.sum(try ExactCoverage.stroke(path, style: StrokeStyle(lineWidth: 6), width: 40, height: 40))
        #expect(butt == 0)
        // Repeated points inside a polyline are skipped, not turned into joins.
        let repeated = Path.polygon([Point(5, 10.5), Point(20, 10.5), Point(20, 10.5), Point(35, 10.5)], closed: false)
        let area = ExactCoverage.sum(try ExactCoverage.stroke(repeated, style: StrokeStyle(lineWidth: 3, cap: .round), width: 40, height: 40))
        #expect(abs(area - (30 * 3 + Double.pi * 2.25)) / (30 * 3) < 0.005)
    }

    @Test("Quadratic curves flatten within tolerance (cubics: the circle tests)")
    func curves() throws {
        // A quadratic from (10, 50) to (90, 50) with control (50, 10) bounds area 2/3 · base · height / 2.
        var path = Path()
        path.move(to: Point(10, 50))
        path.addQuadCurve(to: Point(90, 50), control: Point(50, 10))
        path.closeSubpath()
        let area = ExactCoverage.sum(try ExactCoverage.fill(path, width: 100, height: 100))
        let expected = 2.0 / 3.0 * 80 * 20
        #expect(abs(area - expected) / expected < 0.002)
    }
}
