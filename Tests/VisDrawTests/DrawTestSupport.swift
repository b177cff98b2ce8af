import Foundation
import VisCore
@testable import VisDraw

/// Unquantized coverage of fills and strokes, for exact-area checks (8-bit masks round each pixel by up to
/// 1/510, which dominates the area of sub-pixel shapes).
enum ExactCoverage {
    static func fill(_ path: Path, width: Int, height: Int, rule: FillRule = .nonZero) throws -> [Float] {
        let canvas = try Canvas(width: width, height: height, layout: .gray)
        let rasterizer = _Rasterizer()
        rasterizer.reset(clipWidth: width, clipHeight: height)
        canvas._loadFill(path, into: rasterizer)
        var sink = _FloatCoverageSink(width: width, coverage: [Float](repeating: 0, count: width * height))
        rasterizer.render(rule: rule, into: &sink)
        return sink.coverage
    }

    static func stroke(_ path: Path, style: StrokeStyle, width: Int, height: Int) throws -> [Float] {
        let canvas = try Canvas(width: width, height: height, layout: .gray)
        let rasterizer = _Rasterizer()
        rasterizer.reset(clipWidth: width, clipHeight: height)
        canvas._loadStroke(path, style: style, into: rasterizer)
        var sink = _FloatCoverageSink(width: width, coverage: [Float](repeating: 0, count: width * height))
        rasterizer.render(rule: .nonZero, into: &sink)
        return sink.coverage
    }

    static func rectangle(outer: (Double, Double, Double, Double), inner: (Double, Double, Double, Double)?, width: Int, height: Int)
        -> [Float]
    {
        var sink = _FloatCoverageSink(width: width, coverage: [Float](repeating: 0, count: width * height))
        _rectangleCoverage(
            outer: _Box(minX: outer.0, minY: outer.1, maxX: outer.2, maxY: outer.3),
            inner: inner.map { _Box(minX: $0.0, minY: $0.1, maxX: $0.2, maxY: $0.3) }, width: width, height: height,
            into: &sink)
        return sink.coverage
    }

    static func sum(_ coverage: [Float]) -> Double { coverage.reduce(0) { $0 + Double($1) } }
}


/// The largest per-sample difference between two images of the same size.
func maxSampleDifference(_ a: Image, _ b: Image) -> Int {
    zip(a.pixels, b.pixels).reduce(0) { max($0, abs(Int($1.0) - Int($1.1))) }
}

/// Shoelace area of a simple polygon.
func polygonArea(_ points: [Point]) -> Double {
    var twice = 0.0
    for index in points.indices {
        let a = points[index]
        let b = points[(index + 1) % points.count]
        twice += a.x * b.y - b.x * a.y
    }
    return abs(twice) / 2
}
