import VisDraw

/// Builds the pixel polyline of a data series, broken at non-finite (and, on log axes, non-positive) values,
/// with runs of nearly collinear points merged (matplotlib's `path.simplify`): while the points stay within
/// ``_simplifyThreshold`` pixels of the line through the run's start and its first direction, only the run's
/// furthest points forward and backward along that line are kept. A 100 000-point curve on a 6 inch axes keeps
/// a few thousand vertices and looks the same.
func _simplifiedPolyline(_ xs: [Double], _ ys: [Double], x: _AxisTransform, y: _AxisTransform) -> Path {
    var path = Path()
    var simplifier = _Simplifier()
    var columns = _ColumnReducer()
    // Dense data sorted by x (training curves): per pixel column only the first, lowest, highest and last
    // points can show (M4 reduction); the rest is skipped before simplifying.
    let dense = xs.count > 4 * Int(abs(x.length)) && _isNondecreasing(xs)
    for index in xs.indices {
        let (vx, vy) = (xs[index], ys[index])
        let valid = vx.isFinite && vy.isFinite && (x.scale == .linear || vx > 0) && (y.scale == .linear || vy > 0)
        guard valid else {
            columns.flush(into: &simplifier, path: &path)
            simplifier.finish(into: &path)
            continue
        }
        let point = Point(x.pixel(vx), y.pixel(vy))
        if dense {
            columns.add(point, into: &simplifier, path: &path)
        } else {
            simplifier.add(point, into: &path)
        }
    }
    columns.flush(into: &simplifier, path: &path)
    simplifier.finish(into: &path)
    return path
}

/// Whether the finite values never decrease.
func _isNondecreasing(_ values: [Double]) -> Bool {
    var previous = -Double.infinity
    for value in values where value.isFinite {
        if value < previous { return false }
        previous = value
    }
    return true
}

/// Keeps the first, lowest, highest and last point of each whole-pixel column, in their order.
struct _ColumnReducer {
    private var column = Int.min
    private var first = Point(0, 0)
    private var lowest = Point(0, 0)
    private var highest = Point(0, 0)
    private var lowestIndex = 0
    private var highestIndex = 0
    private var last = Point(0, 0)
    private var count = 0

    mutating func add(_ point: Point, into simplifier: inout _Simplifier, path: inout Path) {
        // Pixel x is finite and within ±1e9: truncation adjusted for negatives is floor without a libm call.
        let truncated = Int(point.x)
        let key = point.x < Double(truncated) ? truncated - 1 : truncated
        if key != column {
            flush(into: &simplifier, path: &path)
            column = key
            first = point
            lowest = point
            highest = point
            lowestIndex = 0
            highestIndex = 0
            last = point
            count = 1
            return
        }
        if point.y < lowest.y {
            lowest = point
            lowestIndex = count
        }
        if point.y > highest.y {
            highest = point
            highestIndex = count
        }
        last = point
        count += 1
    }

    mutating func flush(into simplifier: inout _Simplifier, path: inout Path) {
        guard count > 0 else { return }
        simplifier.add(first, into: &path)
        let extremes = lowestIndex <= highestIndex ? [(lowestIndex, lowest), (highestIndex, highest)] : [(highestIndex, highest), (lowestIndex, lowest)]
        for (index, point) in extremes where index != 0 && index != count - 1 { simplifier.add(point, into: &path) }
        if count > 1 { simplifier.add(last, into: &path) }
        count = 0
        column = Int.min
    }
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
