/// A run of a polyline that survived clipping: where it starts along the original subpath matters for dashes.
struct _StrokePiece {
    var points: ArraySlice<Point>
    var closed: Bool
    /// Distance from the subpath's start to the piece's first point, in pixels.
    var startDistance: Double
}

/// The parts of a polyline inside `box`. A polyline already inside comes back whole (closed stays closed);
/// otherwise it is cut where it leaves and re-enters, so a line from -1e9 to 1e9 becomes one short piece and
/// dashing or stroking it costs what its visible part costs. `box` must include the stroke's reach so that the
/// caps made at the cuts stay out of sight.
func _clipPolyline(_ points: ArraySlice<Point>, closed: Bool, to box: _Box) -> [_StrokePiece] {
    guard let first = points.first else { return [] }
    var bounds = _Box(minX: first.x, minY: first.y, maxX: first.x, maxY: first.y)
    for point in points { bounds.include(point) }
    if box.contains(bounds) { return [_StrokePiece(points: points, closed: closed, startDistance: 0)] }
    guard box.intersects(bounds) else { return [] }

    var pieces: [_StrokePiece] = []
    var current: [Point] = []
    var currentStart = 0.0
    var distance = 0.0
    func flush() {
        if current.count > 1 {
            pieces.append(_StrokePiece(points: current[...], closed: false, startDistance: currentStart))
        }
        current.removeAll()
    }
    var previous = first
    let tail: [Point] = closed ? [first] : []
    for point in points.dropFirst().lazy + tail {
        let length = (point - previous).length
        if let (t0, t1) = _clipSegment(previous, point, to: box) {
            if current.isEmpty || t0 > 0 {
                flush()
                current.append(t0 == 0 ? previous : previous.lerp(to: point, t0))
                currentStart = distance + t0 * length
            }
            current.append(t1 == 1 ? point : previous.lerp(to: point, t1))
            if t1 < 1 { flush() }
        } else {
            flush()
        }
        distance += length
        previous = point
    }
    flush()
    // A closed polyline cut by the box: its first and last pieces meet at the start point, which needs a join,
    // not two caps.
    if closed, pieces.count > 1, let head = pieces.first, let tail = pieces.last, head.startDistance == 0,
        tail.points.last == first
    {
        let merged = _StrokePiece(points: (Array(tail.points) + head.points.dropFirst())[...], closed: false, startDistance: tail.startDistance)
        pieces.removeFirst()
        pieces[pieces.count - 1] = merged
    }
    return pieces
}

/// Liang–Barsky: the parameter range of `a → b` inside `box`, or nil.
func _clipSegment(_ a: Point, _ b: Point, to box: _Box) -> (Double, Double)? {
    var t0 = 0.0
    var t1 = 1.0
    let dx = b.x - a.x
    let dy = b.y - a.y
    for (p, q) in [(-dx, a.x - box.minX), (dx, box.maxX - a.x), (-dy, a.y - box.minY), (dy, box.maxY - a.y)] {
        if p == 0 {
            if q < 0 { return nil }
        } else {
            let r = q / p
            if p < 0 {
                if r > t1 { return nil }
                if r > t0 { t0 = r }
            } else {
                if r < t0 { return nil }
                if r < t1 { t1 = r }
            }
        }
    }
    return t0 <= t1 ? (t0, t1) : nil
}

/// Cuts a piece into its "on" dashes and hands each to `emit` with the direction of travel there (for the caps
/// of zero-length dashes). The pattern's phase continues from `piece.startDistance`, so clipping does not shift
/// the dashes.
func _dash(_ piece: _StrokePiece, pattern: DashPattern, emit: (ArraySlice<Point>, Point) -> Void) {
    guard let first = piece.points.first else { return }
    let intervals = pattern.intervals
    let period = pattern.period
    var phase = (pattern.offset + piece.startDistance).truncatingRemainder(dividingBy: period)
    if phase < 0 { phase += period }
    var index = 0
    // Bounded: the phase is below the period, so one pass over the intervals finds its place.
    // A zero-length dash right at the start is drawn (a dot with round caps), as in SVG.
    for _ in 0..<intervals.count where phase > intervals[index] || (phase == intervals[index] && phase > 0) {
        phase -= intervals[index]
        index = (index + 1) % intervals.count
    }
    var remaining = max(intervals[index] - phase, 0)
    var on = index % 2 == 0
    var dash: [Point] = on ? [first] : []
    var previous = first
    var lastDelta = Point(1, 0)
    let tail: [Point] = piece.closed ? [first] : []
    for point in piece.points.dropFirst().lazy + tail {
        let delta = point - previous
        if delta.x != 0 || delta.y != 0 { lastDelta = delta }
        let length = delta.length
        var position = 0.0
        while length - position >= remaining {
            position += remaining
            let cut = previous.lerp(to: point, length > 0 ? position / length : 1)
            if on {
                dash.append(cut)
                emit(dash[...], delta)
                dash.removeAll(keepingCapacity: true)
            } else {
                dash.append(cut)
            }
            index = (index + 1) % intervals.count
            remaining = intervals[index]
            on = index % 2 == 0
        }
        remaining -= length - position
        if on { dash.append(point) }
        previous = point
    }
    if on && dash.count > 1 { emit(dash[...], lastDelta) }
}
