import VisDraw

/// Builds the pixel polyline of a data series, broken at non-finite (and, on log axes, non-positive) values,
/// with runs of nearly collinear points merged (matplotlib's `path.simplify`): while the points stay within
/// ``_simplifyThreshold`` pixels of the line through the run's start and its first direction, only the run's
/// furthest points forward and backward along that line are kept. A 100 000-point curve on a 6 inch axes keeps
/// a few thousand vertices and looks the same.
func _simplifiedPolyline(_ xs: [Double], _ ys: [Double], x: _AxisTransform, y: _AxisTransform) -> Path {
    var path = Path()
    var simplifier = _Simplifier()
    for index in xs.indices {
        let (vx, vy) = (xs[index], ys[index])
        let valid = vx.isFinite && vy.isFinite && (x.scale == .linear || vx > 0) && (y.scale == .linear || vy > 0)
        guard valid else {
            simplifier.finish(into: &path)
            continue
        }
        simplifier.add(Point(x.pixel(vx), y.pixel(vy)), into: &path)
    }
    simplifier.finish(into: &path)
    return path
}

/// matplotlib's default `path.simplify_threshold`, in pixels.
let _simplifyThreshold = 1.0 / 9.0

struct _Simplifier {
    /// The last emitted vertex (the start of the current run), or nil before a subpath starts.
    private var origin: Point?
    /// The run's direction (unit), once known.
    private var direction: Point?
    /// The furthest point ahead along `direction` and its distance.
    private var forward = Point(0, 0)
    private var forwardDistance = 0.0
    /// The furthest point behind the origin along `direction`, if any.
    private var backward: Point?
    private var backwardDistance = 0.0
    /// The last point seen.
    private var last = Point(0, 0)

    mutating func add(_ point: Point, into path: inout Path) {
        guard let start = origin else {
            // The subpath starts once a second, distinct point shows it has length (matplotlib draws nothing
            // for a single point without a marker).
            origin = point
            last = point
            return
        }
        guard let unit = direction else {
            let delta = point - start
            let length = delta.length
            if length > 0 {
                path.move(to: start)
                direction = delta * (1 / length)
                forward = point
                forwardDistance = length
                backward = nil
                backwardDistance = 0
            }
            last = point
            return
        }
        let delta = point - start
        let perpendicular = abs(unit.cross(delta))
        if perpendicular < _simplifyThreshold {
            let along = unit.dot(delta)
            if along > forwardDistance {
                forward = point
                forwardDistance = along
            } else if along < 0, -along > backwardDistance {
                backward = point
                backwardDistance = -along
            }
            last = point
            return
        }
        // The point leaves the run: emit its extremes, then continue from the last point of the run.
        emitRun(into: &path)
        origin = last
        let fresh = point - last
        let length = fresh.length
        if length > 0 {
            direction = fresh * (1 / length)
            forward = point
            forwardDistance = length
        } else {
            direction = nil
        }
        backward = nil
        backwardDistance = 0
        last = point
    }

    private mutating func emitRun(into path: inout Path) {
        guard direction != nil else { return }
        path.addLine(to: forward)
        var end = forward
        if let backward {
            path.addLine(to: backward)
            end = backward
        }
        if last != end { path.addLine(to: last) }
    }

    /// Ends the current subpath (at a gap or the end of the data).
    mutating func finish(into path: inout Path) {
        if origin != nil, direction != nil { emitRun(into: &path) }
        origin = nil
        direction = nil
        backward = nil
    }
}

extension Point {
    static func - (a: Point, b: Point) -> Point { Point(a.x - b.x, a.y - b.y) }
    static func * (a: Point, s: Double) -> Point { Point(a.x * s, a.y * s) }
    var length: Double { (x * x + y * y).squareRoot() }
    func dot(_ other: Point) -> Double { x * other.x + y * other.y }
    func cross(_ other: Point) -> Double { x * other.y - y * other.x }
}
