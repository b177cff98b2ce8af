/// A path reduced to straight segments: subpaths as ranges of one point array.
struct _FlatPath: Sendable {
    struct Subpath: Sendable, Equatable {
        var start: Int
        var end: Int  // exclusive
        var closed: Bool
        var count: Int { end - start }
    }

    var points: [Point] = []
    var subpaths: [Subpath] = []

    var isEmpty: Bool { subpaths.isEmpty }

    /// The bounds of all points, or nil when there are none.
    var bounds: _Box? {
        guard let first = points.first else { return nil }
        var box = _Box(minX: first.x, minY: first.y, maxX: first.x, maxY: first.y)
        for point in points { box.include(point) }
        return box
    }
}

extension Path {
    /// The default flattening tolerance: the largest distance, in pixels, between a curve and its polyline.
    /// 0.02 px keeps the coverage error of a curved edge under 2 % of a pixel, below one 8-bit step in most
    /// pixels.
    static let defaultTolerance = 0.02

    /// Flattens curves into polylines within `tolerance` pixels.
    ///
    /// When `clip` is given, curve pieces whose control hull lies entirely outside it are replaced by their chord
    /// (the chord lies in the hull too, so nothing inside `clip` changes, neither winding for fills nor
    /// strokes if `clip` already includes the stroke's reach), and curves much larger than `clip` are split in
    /// halves first: a curve with control points at ±1e9 costs a few dozen segments, not millions.
    func flattened(tolerance: Double = Path.defaultTolerance, clip: _Box?) -> _FlatPath {
        var flat = _FlatPath()
        flat.points.reserveCapacity(elements.count * 2)
        var subpathStart = 0
        var current: Point?
        var first = Point(0, 0)

        func finishSubpath(closed: Bool) {
            if flat.points.count > subpathStart {
                flat.subpaths.append(.init(start: subpathStart, end: flat.points.count, closed: closed))
            }
            subpathStart = flat.points.count
        }
        // Starts the subpath at the current point if it has none yet (after `close`, or a path without `move`).
        func beginIfNeeded(at point: Point) -> Point {
            let start = current ?? point
            if flat.points.count == subpathStart {
                flat.points.append(start)
                if current == nil { first = start }
            }
            return start
        }

        for element in elements {
            switch element {
            case .move(let point):
                finishSubpath(closed: false)
                flat.points.append(point)
                current = point
                first = point
            case .line(let point):
                _ = beginIfNeeded(at: point)
                flat.points.append(point)
                current = point
            case let .quadCurve(to, control):
                let start = beginIfNeeded(at: to)
                // Degree elevation: a quadratic is the cubic with these controls, so one flattener serves both.
                let control1 = start.lerp(to: control, 2.0 / 3.0)
                let control2 = to.lerp(to: control, 2.0 / 3.0)
                _flattenCubic(start, control1, control2, to, tolerance: tolerance, clip: clip, depth: 0, into: &flat.points)
                current = to
            case let .curve(to, control1, control2):
                let start = beginIfNeeded(at: to)
                _flattenCubic(start, control1, control2, to, tolerance: tolerance, clip: clip, depth: 0, into: &flat.points)
                current = to
            case .close:
                // Commands after `close` continue from the subpath's first point, as in SVG and Skia.
                finishSubpath(closed: true)
                if current != nil { current = first }
            }
        }
        finishSubpath(closed: false)
        return flat
    }
}

/// Appends the cubic's flattened points after `p0` (which the caller already appended).
func _flattenCubic(
    _ p0: Point, _ p1: Point, _ p2: Point, _ p3: Point, tolerance: Double, clip: _Box?, depth: Int,
    into points: inout [Point]
) {
    if let clip {
        let hull = _Box(p0, p1, p2, p3)
        if !hull.intersects(clip) {
            points.append(p3)
            return
        }
        // Split curves that dwarf the clip box so that the pieces far away become chords.
        if depth < 48 && hull.largestSide > 4 * clip.largestSide + 64 {
            let (left, right) = _splitCubic(p0, p1, p2, p3)
            _flattenCubic(left.0, left.1, left.2, left.3, tolerance: tolerance, clip: clip, depth: depth + 1, into: &points)
            _flattenCubic(right.0, right.1, right.2, right.3, tolerance: tolerance, clip: clip, depth: depth + 1, into: &points)
            return
        }
    }
    // The second differences bound the curve's second derivative: with n uniform steps the polyline stays
    // within 3/4 · dd / n² of the curve.
    let dd = max((p0 - p1 * 2 + p2).length, (p1 - p2 * 2 + p3).length)
    guard dd > 0 else {
        points.append(p3)
        return
    }
    let chord = (p3 - p0).length
    // Also at least ~13 steps per quarter turn, whatever the size: a tiny circle keeps its area within 0.3 %.
    let byTolerance = (0.75 * dd / tolerance).squareRoot()
    let byTurn = 40 * dd / max(chord, dd)
    let steps = Int(min(max(byTolerance, byTurn, 1).rounded(.up), 4096))
    let step = 1 / Double(steps)
    for i in 1..<steps {
        let t = Double(i) * step
        let mt = 1 - t
        let a = mt * mt * mt
        let b = 3 * mt * mt * t
        let c = 3 * mt * t * t
        let d = t * t * t
        points.append(Point(x: a * p0.x + b * p1.x + c * p2.x + d * p3.x, y: a * p0.y + b * p1.y + c * p2.y + d * p3.y))
    }
    points.append(p3)
}

/// De Casteljau split at t = 1/2.
func _splitCubic(_ p0: Point, _ p1: Point, _ p2: Point, _ p3: Point)
    -> ((Point, Point, Point, Point), (Point, Point, Point, Point))
{
    let p01 = p0.lerp(to: p1, 0.5)
    let p12 = p1.lerp(to: p2, 0.5)
    let p23 = p2.lerp(to: p3, 0.5)
    let p012 = p01.lerp(to: p12, 0.5)
    let p123 = p12.lerp(to: p23, 0.5)
    let mid = p012.lerp(to: p123, 0.5)
    return ((p0, p01, p012, mid), (mid, p123, p23, p3))
}
