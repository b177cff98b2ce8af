import Foundation

/// Turns flattened polylines into fillable outlines (filled with the non-zero rule).
///
/// Each subpath becomes closed contours in the tiny-skia / Skia manner: the offset on one side, walked forward,
/// then the other side walked backward (an open subpath joins the two with caps into one contour; a closed one
/// gives two contours of opposite direction). Outer corners get the join; inner corners go through the vertex,
/// which makes small loops of winding 2 inside the stroke that the non-zero rule fills.
struct _Stroker {
    let halfWidth: Double
    let join: LineJoin
    let cap: LineCap
    let miterLimit: Double
    /// Largest angle step of round joins and caps: keeps the arc within the flattening tolerance.
    let arcStep: Double

    init(style: StrokeStyle, tolerance: Double = Path.defaultTolerance) {
        // Hairlines are drawn 1 px wide (the caller scales their opacity by the width).
        halfWidth = max(style.lineWidth, 1) / 2
        join = style.join
        cap = style.cap
        miterLimit = style.miterLimit
        let byTolerance = tolerance < halfWidth ? 2 * (1 - tolerance / halfWidth).clamped(-1, 1).acosine : Double.pi / 2
        // At least 16 steps per half turn so small round caps keep their area, at most 512 so a hostile width
        // cannot ask for millions of points.
        arcStep = min(max(byTolerance, Double.pi / 512), Double.pi / 16)
    }

    /// Adds the outline of one polyline.
    func stroke<Sink: _EdgeSink>(_ input: ArraySlice<Point>, closed: Bool, into sink: inout Sink) {
        var points: [Point] = []
        points.reserveCapacity(input.count)
        for point in input where points.last.map({ ($0 - point).length > 1e-9 }) ?? true {
            points.append(point)
        }
        if closed, points.count > 1, let first = points.first, let last = points.last, (last - first).length <= 1e-9 {
            points.removeLast()
        }
        guard let first = points.first else { return }
        if points.count == 1 {
            // A zero-length subpath still shows its caps, as in SVG: a dot (round) or a square.
            strokeDot(at: first, direction: Point(1, 0), into: &sink)
            return
        }
        var contour = _ContourBuilder()
        if closed {
            addSide(points, closed: true, into: &contour, sink: &sink)
            contour.close(into: &sink)
            addSide(points.reversed(), closed: true, into: &contour, sink: &sink)
            contour.close(into: &sink)
        } else {
            addSide(points, closed: false, into: &contour, sink: &sink)
            addCap(at: points[points.count - 1], from: points[points.count - 2], into: &contour, sink: &sink)
            addSide(points.reversed(), closed: false, into: &contour, sink: &sink)
            addCap(at: points[0], from: points[1], into: &contour, sink: &sink)
            contour.close(into: &sink)
        }
    }

    /// The caps of a zero-length piece, oriented along `direction`.
    func strokeDot<Sink: _EdgeSink>(at point: Point, direction: Point, into sink: inout Sink) {
        let length = direction.length
        let unit = length > 0 ? direction * (1 / length) : Point(1, 0)
        var contour = _ContourBuilder()
        let normal = Point(-unit.y, unit.x) * halfWidth
        switch cap {
        case .butt:
            return
        case .round:
            contour.move(to: point + normal, sink: &sink)
            addArc(center: point, from: normal, sweep: -2 * Double.pi, into: &contour, sink: &sink)
        case .square:
            let along = unit * halfWidth
            contour.move(to: point + normal - along, sink: &sink)
            contour.line(to: point + normal + along, sink: &sink)
            contour.line(to: point - normal + along, sink: &sink)
            contour.line(to: point - normal - along, sink: &sink)
        }
        contour.close(into: &sink)
    }

    /// The offset on the left of travel (+normal), with joins, continuing the contour.
    private func addSide<Sink: _EdgeSink, Points: RandomAccessCollection>(
        _ points: Points, closed: Bool, into contour: inout _ContourBuilder, sink: inout Sink
    ) where Points.Element == Point, Points.Index == Int {
        let count = points.count
        let base = points.startIndex
        func point(_ index: Int) -> Point { points[base + (index % count)] }
        func normal(_ segment: Int) -> Point {
            let delta = point(segment + 1) - point(segment)
            let scale = halfWidth / delta.length
            return Point(-delta.y * scale, delta.x * scale)
        }
        let segments = closed ? count : count - 1
        var previousNormal = normal(0)
        if contour.isEmpty {
            contour.move(to: point(0) + previousNormal, sink: &sink)
        } else {
            contour.line(to: point(0) + previousNormal, sink: &sink)
        }
        for segment in 0..<segments {
            let end = point(segment + 1)
            if segment == segments - 1 && !closed {
                contour.line(to: end + previousNormal, sink: &sink)
                break
            }
            let nextNormal = normal(segment + 1)
            if previousNormal.cross(nextNormal) > 0,
                let corner = innerCorner(
                    at: end, from: previousNormal, to: nextNormal,
                    shorterSegment: min((end - point(segment)).length, (point(segment + 2) - end).length))
            {
                contour.line(to: corner, sink: &sink)
            } else {
                contour.line(to: end + previousNormal, sink: &sink)
                addJoin(at: end, from: previousNormal, to: nextNormal, into: &contour, sink: &sink)
            }
            previousNormal = nextNormal
        }
    }

    /// Where the two offsets of an inner corner cross, when that point lies within the first half of both
    /// neighbouring segments: then the outline simply turns there and has no loop, and its area is exact. (Past
    /// that, e.g. a stroke wider than a curve's radius, the outline goes through the vertex instead.)
    private func innerCorner(at pivot: Point, from n0: Point, to n1: Point, shorterSegment: Double) -> Point? {
        let sum = n0 + n1
        let sumSquared = sum.dot(sum)
        guard sumSquared > 1e-12 * halfWidth * halfWidth else { return nil }
        let corner = pivot + sum * (2 * halfWidth * halfWidth / sumSquared)
        let along = (corner - (pivot + n0)).length
        return along <= 0.5 * shorterSegment ? corner : nil
    }

    /// Connects `pivot + from` (the current point) to `pivot + to`.
    private func addJoin<Sink: _EdgeSink>(
        at pivot: Point, from n0: Point, to n1: Point, into contour: inout _ContourBuilder, sink: inout Sink
    ) {
        let cross = n0.cross(n1)
        let dot = n0.dot(n1)
        let target = pivot + n1
        let nearlyStraight = abs(cross) <= 1e-12 * halfWidth * halfWidth && dot > 0
        if nearlyStraight {
            contour.line(to: target, sink: &sink)
            return
        }
        if cross > 0 {
            // Inner corner: through the vertex, so the offsets' overlap stays inside the stroke.
            contour.line(to: pivot, sink: &sink)
            contour.line(to: target, sink: &sink)
            return
        }
        switch join {
        case .bevel:
            break
        case .miter:
            let sum = n0 + n1
            let sumSquared = sum.dot(sum)
            // tip distance / half width = 2·hw / |n0 + n1| = 1 / sin(θ/2), the SVG miter ratio.
            if sumSquared > 0, 4 * halfWidth * halfWidth <= miterLimit * miterLimit * sumSquared {
                contour.line(to: pivot + sum * (2 * halfWidth * halfWidth / sumSquared), sink: &sink)
            }
        case .round:
            let sweep = -atan2(abs(cross), dot)
            addArc(center: pivot, from: n0, sweep: sweep, into: &contour, sink: &sink)
        }
        contour.line(to: target, sink: &sink)
    }

    /// The cap at `end` of a segment coming from `previous`: from the left offset to the right one.
    private func addCap<Sink: _EdgeSink>(
        at end: Point, from previous: Point, into contour: inout _ContourBuilder, sink: inout Sink
    ) {
        let delta = end - previous
        let scale = halfWidth / delta.length
        let along = Point(delta.x * scale, delta.y * scale)
        let normal = Point(-along.y, along.x)
        switch cap {
        case .butt:
            break
        case .square:
            contour.line(to: end + normal + along, sink: &sink)
            contour.line(to: end - normal + along, sink: &sink)
        case .round:
            addArc(center: end, from: normal, sweep: -Double.pi, into: &contour, sink: &sink)
        }
        contour.line(to: end - normal, sink: &sink)
    }

    /// Adds the arc points strictly between `center + from` and its rotation by `sweep` (negative: the
    /// direction that passes the travel direction after the left normal).
    private func addArc<Sink: _EdgeSink>(
        center: Point, from start: Point, sweep: Double, into contour: inout _ContourBuilder, sink: inout Sink
    ) {
        let steps = Int((abs(sweep) / arcStep).rounded(.up))
        guard steps > 1 else { return }
        let angle = sweep / Double(steps)
        let (sine, cosine) = (sin(angle), cos(angle))
        // Inner vertices sit slightly outside the arc (r·√(θ / sin θ)) so that each fan triangle has its
        // sector's area: an inscribed polygon alone would lose ~1 % of a small round cap.
        let scale = (abs(angle) / sin(abs(angle))).squareRoot()
        var offset = start
        for _ in 1..<steps {
            offset = Point(offset.x * cosine - offset.y * sine, offset.x * sine + offset.y * cosine)
            contour.line(to: center + offset * scale, sink: &sink)
        }
    }
}

/// Receives directed edges of closed contours.
protocol _EdgeSink {
    mutating func addEdge(_ from: Point, _ to: Point)
}

/// Emits edges of one contour at a time, closing it back to its first point.
struct _ContourBuilder {
    private var first: Point?
    private var current = Point(0, 0)

    var isEmpty: Bool { first == nil }

    mutating func move<Sink: _EdgeSink>(to point: Point, sink: inout Sink) {
        close(into: &sink)
        first = point
        current = point
    }

    mutating func line<Sink: _EdgeSink>(to point: Point, sink: inout Sink) {
        guard first != nil else {
            first = point
            current = point
            return
        }
        sink.addEdge(current, point)
        current = point
    }

    mutating func close<Sink: _EdgeSink>(into sink: inout Sink) {
        if let first, first != current { sink.addEdge(current, first) }
        first = nil
    }
}

extension Double {
    fileprivate func clamped(_ low: Double, _ high: Double) -> Double { Swift.min(Swift.max(self, low), high) }
    fileprivate var acosine: Double { acos(self) }
}
