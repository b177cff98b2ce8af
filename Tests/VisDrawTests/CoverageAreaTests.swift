import Foundation
import Testing
import VisTestSupport
import VisCore
@testable import VisDraw

@Suite("Exact-area coverage")
struct CoverageAreaTests {
    @Test("Filled circles cover πr² within 0.5 % for diameters 0.5 to 500 px")
    func circleArea() throws {
        var random = SeededGenerator(seed: 1)
        for diameter in [0.5, 0.8, 1, 1.5, 2, 3, 5, 8, 13, 21, 40, 77, 150, 300, 500] {
            let radius = diameter / 2
            let size = Int(diameter.rounded(.up)) + 4
            let center = Point(x: 2 + radius + Double.random(in: 0..<1, using: &random), y: 2 + radius + Double.random(in: 0..<1, using: &random))
            let coverage = try ExactCoverage.fill(try Path.circle(center: center, radius: radius), width: size + 1, height: size + 1)
            let area = ExactCoverage.sum(coverage)
            let expected = Double.pi * radius * radius
            #expect(abs(area - expected) / expected < 0.005, "diameter \(diameter): \(area) vs \(expected)")
        }
    }

    @Test("Public 8-bit masks keep the area within 0.5 % from 4 px up")
    func maskArea() throws {
        let canvas = try Canvas(width: 520, height: 520)
        for diameter in [4.0, 10, 33.3, 120, 500] {
            let radius = diameter / 2
            let mask = try canvas.coverageMask(filling: try Path.circle(center: Point(radius + 5.3, radius + 7.6), radius: radius))
            let area = mask.coverage.reduce(0.0) { $0 + Double($1) / 255 }
            let expected = Double.pi * radius * radius
            #expect(abs(area - expected) / expected < 0.005, "diameter \(diameter): \(area) vs \(expected)")
            let rect = try canvas.coverageMask(filling: Path.rect(x: 3.3, y: 4.7, width: diameter, height: diameter * 0.7))
            let rectArea = rect.coverage.reduce(0.0) { $0 + Double($1) / 255 }
            #expect(abs(rectArea - diameter * diameter * 0.7) / (diameter * diameter * 0.7) < 0.005)
        }
    }

    @Test("Random polygons and rectangles cover their exact area", arguments: [0.5, 1.7, 6, 40, 230, 500])
    func polygonAndRectangleArea(size: Double) throws {
        var random = SeededGenerator(seed: UInt64(size * 10))
        let canvasSize = Int(size) + 8
        for _ in 0..<6 {
            // A convex polygon: points on an ellipse at sorted random angles.
            let count = Int.random(in: 3...9, using: &random)
            let angles = (0..<count).map { _ in Double.random(in: 0..<(2 * .pi), using: &random) }.sorted()
            let center = Point(4 + size / 2 + Double.random(in: 0..<1, using: &random), 4 + size / 2 + Double.random(in: 0..<1, using: &random))
            let points = angles.map { Point(center.x + size / 2 * cos($0), center.y + size / 2 * 0.8 * sin($0)) }
            let expected = polygonArea(points)
            guard expected > size * size * 0.05 else { continue }
            let area = ExactCoverage.sum(try ExactCoverage.fill(Path.polygon(points), width: canvasSize, height: canvasSize))
            #expect(abs(area - expected) / expected < 0.005, "polygon \(points): \(area) vs \(expected)")

            let x = 2 + Double.random(in: 0..<3, using: &random)
            let y = 2 + Double.random(in: 0..<3, using: &random)
            let general = ExactCoverage.sum(try ExactCoverage.fill(Path.rect(x: x, y: y, width: size, height: size * 0.6), width: canvasSize, height: canvasSize))
            let analytic = ExactCoverage.sum(ExactCoverage.rectangle(outer: (x, y, x + size, y + size * 0.6), inner: nil, width: canvasSize, height: canvasSize))
            #expect(abs(general - size * size * 0.6) / (size * size * 0.6) < 0.005)
            #expect(abs(analytic - size * size * 0.6) / (size * size * 0.6) < 0.005)
        }
    }

    @Test("A half-covered pixel gets 0.5 ± 0.02 (vertical edge, diagonal edge, through the RGB compositor)")
    func halfCoveredPixel() throws {
        let vertical = try ExactCoverage.fill(Path.rect(x: 2, y: 2, width: 3.5, height: 4), width: 10, height: 10)
        #expect(abs(vertical[3 * 10 + 5] - 0.5) <= 0.02)
        #expect(abs(vertical[3 * 10 + 4] - 1) <= 1e-6)
        #expect(vertical[3 * 10 + 6] == 0)
        // A triangle whose hypotenuse is the diagonal of pixel (3, 3).
        let diagonal = try ExactCoverage.fill(Path.polygon([Point(3, 3), Point(8, 8), Point(3, 8)]), width: 10, height: 10)
        #expect(abs(diagonal[3 * 10 + 3] - 0.5) <= 0.02)
        var canvas = try Canvas(width: 10, height: 10, layout: .rgb)
        try canvas.fill(Path.rect(x: 2, y: 2, width: 3.5, height: 4), color: Color(red: 255, green: 255, blue: 255))
        #expect(abs(Int(canvas.image[5, 3, 0]) - 128) <= 5)
        #expect(canvas.image[4, 3, 0] == 255)
    }

    @Test("Even-odd leaves the star's centre pentagon empty, non-zero fills it")
    func starFillRules() throws {
        let center = Point(50, 50)
        let star = (0..<5).map { k -> Point in
            let angle = -Double.pi / 2 + Double(k) * 4 * Double.pi / 5
            return Point(center.x + 40 * cos(angle), center.y + 40 * sin(angle))
        }
        let nonZero = try ExactCoverage.fill(Path.polygon(star), width: 100, height: 100, rule: .nonZero)
        let evenOdd = try ExactCoverage.fill(Path.polygon(star), width: 100, height: 100, rule: .evenOdd)
        for (x, y) in [(50, 50), (47, 52), (53, 49)] {
            #expect(nonZero[y * 100 + x] == 1)
            #expect(evenOdd[y * 100 + x] == 0)
        }
        // The points themselves are filled under both rules.
        #expect(nonZero[25 * 100 + 50] == 1 && evenOdd[25 * 100 + 50] == 1)
        // The difference is exactly the pentagon's area.
        let inner = 40 * sin(Double.pi / 10) / sin(7 * Double.pi / 10)  // pentagon circumradius
        let pentagonArea = 2.5 * inner * inner * sin(2 * Double.pi / 5)
        let difference = ExactCoverage.sum(nonZero) - ExactCoverage.sum(evenOdd)
        #expect(abs(difference - pentagonArea) / pentagonArea < 0.005)
    }

    @Test("Overlapping subpaths: non-zero unions them, even-odd cuts the overlap")
    func overlappingSubpaths() throws {
        var path = Path.rect(x: 10, y: 10, width: 20, height: 20)
        path.addPath(Path.rect(x: 20, y: 20, width: 20, height: 20))
        let nonZero = ExactCoverage.sum(try ExactCoverage.fill(path, width: 50, height: 50, rule: .nonZero))
        let evenOdd = ExactCoverage.sum(try ExactCoverage.fill(path, width: 50, height: 50, rule: .evenOdd))
        #expect(abs(nonZero - 700) < 0.01)
        #expect(abs(evenOdd - 600) < 0.01)
    }

    @Test("Shapes partly outside the image keep their visible coverage exact")
    func clippedShapes() throws {
        let coverage = try ExactCoverage.fill(try Path.circle(center: Point(0, 0), radius: 10), width: 30, height: 30)
        #expect(abs(ExactCoverage.sum(coverage) - Double.pi * 25) / (Double.pi * 25) < 0.005)
        let right = try ExactCoverage.fill(Path.rect(x: 20.5, y: -5, width: 1e9, height: 10.25), width: 30, height: 30)
        #expect(abs(ExactCoverage.sum(right) - 9.5 * 5.25) < 1e-3)
        let left = try ExactCoverage.fill(Path.polygon([Point(-1e9, 3), Point(12.5, 3), Point(12.5, 7), Point(-1e9, 7)]), width: 30, height: 30)
        #expect(abs(ExactCoverage.sum(left) - 12.5 * 4) < 1e-3)
    }
}
