/// Receives the rasterizer's output: runs of pixels in one row that share one coverage value (0...1).
protocol _CoverageSink {
    /// Pixels `x ..< x + count` of row `y` (image coordinates, inside the clip) have coverage `coverage`.
    mutating func span(y: Int, x: Int, count: Int, coverage: Float)
    /// Reads the destination at pixel (x, y) (inside the clip) so that its memory is fetched before it is
    /// blended.
    mutating func touchRow(y: Int, x: Int)
}

extension _CoverageSink {
    mutating func touchRow(y: Int, x: Int) {}
}

/// The exact-area coverage rasterizer (the font-rs formulation): every edge adds, to each pixel cell it
/// crosses, the signed area it sweeps towards the right; a prefix sum along a row then gives each pixel's
/// covered fraction. Edges are clipped to the clip box first (parts above/below dropped, parts to the right
/// dropped, parts to the left moved onto x = 0 where they keep their winding), so coordinates never index
/// memory and the work is bounded by the visible part.
///
/// A reference type holding scratch buffers that are reused across draws; ``Canvas`` keeps one per canvas and
/// replaces it when a copy shares it (copy-on-write), so concurrent canvases never share one.
final class _Rasterizer: @unchecked Sendable {
    /// The clip box: pixels [0, clipWidth) × [0, clipHeight).
    private(set) var clipWidth = 0
    private(set) var clipHeight = 0
    /// Clipped edges as (x0, y0, x1, y1) in image coordinates.
    private var edges: [SIMD4<Float>] = []
    private var minX: Float = .infinity
    private var minY: Float = .infinity
    private var maxX: Float = -.infinity
    private var maxY: Float = -.infinity
    /// Whether an edge was dropped for lying right of the clip box (then coverage runs on to the clip's edge).
    private var cutAtRight = false
    /// Per-cell coverage deltas over the edges' bounding box, all zero between draws.
    private var deltas: [Float] = []
    /// Per-row range of cells that received a delta (`rowFirst > rowLast` when none).
    private var rowFirst: [Int32] = []
    private var rowLast: [Int32] = []
    /// Reused point buffer of ``addEllipse(center:radiusX:radiusY:tolerance:clip:)``.
    private var scratchPoints: [Point] = []

    /// Starts a new shape clipped to `width` × `height` pixels.
    func reset(clipWidth width: Int, clipHeight height: Int) {
        clipWidth = max(width, 0)
        clipHeight = max(height, 0)
        edges.removeAll(keepingCapacity: true)
        minX = .infinity
        minY = .infinity
        maxX = -.infinity
        maxY = -.infinity
        cutAtRight = false
    }

    /// Whether no edge reached the clip box.
    var isEmpty: Bool { edges.isEmpty }

    /// The pixel box the accumulated edges can touch, as (x, y, width, height) in image pixels, or nil.
    var pixelBounds: (x: Int, y: Int, width: Int, height: Int)? {
        guard !edges.isEmpty else { return nil }
        let x0 = Int(minX.rounded(.down))
        let y0 = Int(minY.rounded(.down))
        // Coverage continues to the clip's right edge when edges were cut there.
        let x1 = cutAtRight ? clipWidth : min(Int(maxX.rounded(.up)) + 1, clipWidth)
        let y1 = min(Int(maxY.rounded(.up)), clipHeight)
        guard x1 > x0, y1 > y0 else { return nil }
        return (x0, y0, x1 - x0, y1 - y0)
    }

    /// Adds every subpath of `flat` as a closed polygon.
    func addPolygons(_ flat: _FlatPath) {
        flat.points.withUnsafeBufferPointer { points in
            for subpath in flat.subpaths where subpath.count >= 2 {
                addPolygon(UnsafeBufferPointer(rebasing: points[subpath.start..<subpath.end]))
            }
        }
    }

    /// Adds one closed polygon. One wholly inside the clip box skips clipping (``addEdge(_:_:)`` would keep
    /// every edge as it is): only the conversion to `Float` remains.
    func addPolygon(_ points: UnsafeBufferPointer<Point>) {
        guard points.count >= 2, let last = points.last else { return }
        var inside = true
        let (width, height) = (Double(clipWidth), Double(clipHeight))
        // Strictly left of the right edge: an edge on it is dropped (and marks the cut) by the clipping path.
        for point in points where !(point.x >= 0 && point.x < width && point.y >= 0 && point.y <= height) {
            inside = false
            break
        }
        var previous = last
        if inside {
            for point in points {
                // As in `addPiece`: edges flat after rounding to `Float` add nothing (and would divide by zero).
                let (y0, y1) = (Float(previous.y), Float(point.y))
                if y0 != y1 { _appendEdge(Float(previous.x), y0, Float(point.x), y1) }
                previous = point
            }
        } else {
            for point in points {
                addEdge(previous, point)
                previous = point
            }
        }
    }

    /// Adds the flattened outline of an axis-aligned ellipse: the points ``Path/ellipse(center:radiusX:radiusY:)``
    /// flattens to, without building the path (``addPolygons(_:)`` of that path is its naive twin).
    func addEllipse(center: Point, radiusX: Double, radiusY: Double, tolerance: Double, clip: _Box) {
        guard radiusX > 0, radiusY > 0 else { return }
        let kx = radiusX * Path.circleKappa
        let ky = radiusY * Path.circleKappa
        let (cx, cy) = (center.x, center.y)
        var points = scratchPoints
        scratchPoints = []
        points.removeAll(keepingCapacity: true)
        let start = Point(cx + radiusX, cy)
        points.append(start)
        let bottom = Point(cx, cy + radiusY)
        let left = Point(cx - radiusX, cy)
        let top = Point(cx, cy - radiusY)
        func quarter(_ p0: Point, _ p1: Point, _ p2: Point, _ p3: Point) {
            _flattenCubic(p0, p1, p2, p3, tolerance: tolerance, clip: clip, depth: 0, into: &points)
        }
        quarter(start, Point(cx + radiusX, cy + ky), Point(cx + kx, cy + radiusY), bottom)
        quarter(bottom, Point(cx - kx, cy + radiusY), Point(cx - radiusX, cy + ky), left)
        quarter(left, Point(cx - radiusX, cy - ky), Point(cx - kx, cy - radiusY), top)
        quarter(top, Point(cx + kx, cy - radiusY), Point(cx + radiusX, cy - ky), start)
        points.withUnsafeBufferPointer { addPolygon($0) }
        scratchPoints = points
    }

    /// Adds one directed edge, clipped to the clip box.
    func addEdge(_ a: Point, _ b: Point) {
        let height = Double(clipHeight)
        let width = Double(clipWidth)
        let dy = b.y - a.y
        guard dy != 0 else { return }
        if (a.y <= 0 && b.y <= 0) || (a.y >= height && b.y >= height) { return }
        if a.x >= width && b.x >= width {
            cutAtRight = true
            return
        }
        // Clip in y by parameter so that huge coordinates never enter the loops below.
        let tTop = (0 - a.y) / dy
        let tBottom = (height - a.y) / dy
        let t0 = max(0, min(tTop, tBottom))
        let t1 = min(1, max(tTop, tBottom))
        guard t0 < t1 else { return }
        let dx = b.x - a.x
        let start = t0 == 0 ? a : Point(x: a.x + dx * t0, y: a.y + dy * t0)
        let end = t1 == 1 ? b : Point(x: a.x + dx * t1, y: a.y + dy * t1)
        // Split where the edge crosses x = 0 and x = width; pieces left of 0 keep their winding on x = 0, pieces
        // right of the clip only affect pixels beyond it.
        var cutLow = 1.0
        var cutHigh = 1.0
        if end.x != start.x {
            let tLeft = (0 - start.x) / (end.x - start.x)
            let tRight = (width - start.x) / (end.x - start.x)
            let inLeft = tLeft > 0 && tLeft < 1
            let inRight = tRight > 0 && tRight < 1
            if inLeft && inRight {
                cutLow = min(tLeft, tRight)
                cutHigh = max(tLeft, tRight)
            } else if inLeft {
                cutLow = tLeft
            } else if inRight {
                cutLow = tRight
            }
        }
        addPiece(start, end, from: 0, to: cutLow, width: width, height: height)
        if cutLow < 1 { addPiece(start, end, from: cutLow, to: cutHigh, width: width, height: height) }
        if cutHigh < 1 { addPiece(start, end, from: cutHigh, to: 1, width: width, height: height) }
    }

    private func addPiece(_ start: Point, _ end: Point, from ta: Double, to tb: Double, width: Double, height: Double) {
        let mid = start.x + (end.x - start.x) * (ta + tb) / 2
        if mid > width {
            cutAtRight = true
            return
        }
        var pa = ta == 0 ? start : start.lerp(to: end, ta)
        var pb = tb == 1 ? end : start.lerp(to: end, tb)
        if mid < 0 {
            pa.x = 0
            pb.x = 0
        }
        let x0 = Float(min(max(pa.x, 0), width))
        let x1 = Float(min(max(pb.x, 0), width))
        let y0 = Float(min(max(pa.y, 0), height))
        let y1 = Float(min(max(pb.y, 0), height))
        guard y0 != y1 else { return }
        _appendEdge(x0, y0, x1, y1)
    }

    @inline(__always)
    private func _appendEdge(_ x0: Float, _ y0: Float, _ x1: Float, _ y1: Float) {
        edges.append(SIMD4(x0, y0, x1, y1))
        minX = min(minX, min(x0, x1))
        maxX = max(maxX, max(x0, x1))
        minY = min(minY, min(y0, y1))
        maxY = max(maxY, max(y0, y1))
    }

    /// Accumulates the edges and sends coverage runs to `sink`, then clears the shape.
    func render<Sink: _CoverageSink>(rule: FillRule, into sink: inout Sink) {
        defer { reset(clipWidth: clipWidth, clipHeight: clipHeight) }
        guard !edges.isEmpty, minY < maxY else { return }
        let originX = Int(minX.rounded(.down))
        let originY = Int(minY.rounded(.down))
        let lastX = Int(maxX.rounded(.up)) - originX  // the largest local x an edge reaches
        let bufferWidth = lastX + 2
        let rows = Int(maxY.rounded(.up)) - originY
        guard rows > 0 else { return }
        let cellCount = bufferWidth * rows
        if deltas.count < cellCount { deltas = [Float](repeating: 0, count: cellCount) }
        if rowFirst.count < rows {
            rowFirst = [Int32](repeating: Int32.max, count: rows)
            rowLast = [Int32](repeating: -1, count: rows)
        }
        let offsetX = Float(originX)
        let offsetY = Float(originY)
        let limitX = Float(lastX)
        let visibleEnd = clipWidth - originX
        deltas.withUnsafeMutableBufferPointer { deltaBuffer in
            rowFirst.withUnsafeMutableBufferPointer { firsts in
                rowLast.withUnsafeMutableBufferPointer { lasts in
                    guard let cells = deltaBuffer.baseAddress else { return }
                    for edge in edges {
                        _accumulate(
                            x0: edge.x - offsetX, y0: edge.y - offsetY, x1: edge.z - offsetX, y1: edge.w - offsetY,
                            limitX: limitX, rows: rows, width: bufferWidth, cells: cells, firsts: firsts, lasts: lasts)
                    }
                    // A read of each row's first and last pixel before any blending: the reads are independent, so their
                    // cache misses overlap instead of stalling row after row.
                    let lastVisible = clipWidth - 1
                    for row in 0..<rows where firsts[row] <= lasts[row] {
                        sink.touchRow(y: row + originY, x: min(Int(firsts[row]) + originX, lastVisible))
                        sink.touchRow(y: row + originY, x: min(Int(lasts[row]) + originX, lastVisible))
                    }
                    for row in 0..<rows {
                        let first = Int(firsts[row])
                        let last = Int(lasts[row])
                        firsts[row] = Int32.max
                        lasts[row] = -1
                        guard first <= last else { continue }
                        _sweepRow(
                            cells + row * bufferWidth, first: first, last: last, visibleEnd: visibleEnd, rule: rule,
                            y: row + originY, originX: originX, sink: &sink)
                    }
                }
            }
        }
    }
}

extension _Rasterizer: _EdgeSink {}

/// Adds one edge's signed area to the cells (local coordinates, y within 0...rows, x within 0...limitX).
@inline(__always)
private func _accumulate(
    x0: Float, y0: Float, x1: Float, y1: Float, limitX: Float, rows: Int, width: Int,
    cells: UnsafeMutablePointer<Float>, firsts: UnsafeMutableBufferPointer<Int32>,
    lasts: UnsafeMutableBufferPointer<Int32>
) {
    let direction: Float
    let top: (x: Float, y: Float)
    let bottom: (x: Float, y: Float)
    if y0 < y1 {
        direction = 1
        top = (x0, y0)
        bottom = (x1, y1)
    } else {
        direction = -1
        top = (x1, y1)
        bottom = (x0, y0)
    }
    let slope = (bottom.x - top.x) / (bottom.y - top.y)
    var x = top.x
    let firstRow = max(Int(top.y), 0)
    let endRow = min(_ceilNonNegative(bottom.y), rows)
    guard firstRow < endRow else { return }
    for row in firstRow..<endRow {
        let dy = min(Float(row + 1), bottom.y) - max(Float(row), top.y)
        let xNext = min(max(x + slope * dy, 0), limitX)
        let d = dy * direction
        let xa = min(x, xNext)
        let xb = max(x, xNext)
        let ia = Int(xa)  // xa ≥ 0: truncation is the floor
        let xaFloor = Float(ia)
        let ib = _ceilNonNegative(xb)
        let xbCeil = Float(ib)
        let line = cells + row * width
        let last: Int
        if ib <= ia + 1 {
            // Within one cell: the area right of the edge's mid x goes to the next cell.
            let midFraction = 0.5 * (x + xNext) - xaFloor
            line[ia] += d - d * midFraction
            line[ia + 1] += d * midFraction
            last = ia + 1
        } else {
            let inverse = 1 / (xb - xa)
            let fa = xa - xaFloor
            let a0 = 0.5 * inverse * (1 - fa) * (1 - fa)
            let fb = xb - xbCeil + 1
            let am = 0.5 * inverse * fb * fb
            line[ia] += d * a0
            if ib == ia + 2 {
                line[ia + 1] += d * (1 - a0 - am)
            } else {
                let a1 = inverse * (1.5 - fa)
                line[ia + 1] += d * (a1 - a0)
                var column = ia + 2
                let step = d * inverse
                while column < ib - 1 {
                    line[column] += step
                    column += 1
                }
                let a2 = a1 + Float(ib - ia - 3) * inverse
                line[ib - 1] += d * (1 - a2 - am)
            }
            line[ib] += d * am
            last = ib
        }
        if Int32(ia) < firsts[row] { firsts[row] = Int32(ia) }
        if Int32(last) > lasts[row] { lasts[row] = Int32(last) }
        x = xNext
    }
}

/// ⌈value⌉ for value ≥ 0 without a libm call (baseline x86-64 has no rounding instruction).
@inline(__always)
private func _ceilNonNegative(_ value: Float) -> Int {
    let truncated = Int(value)
    return Float(truncated) < value ? truncated + 1 : truncated
}

/// Prefix-sums one row's deltas into coverage runs (clearing the deltas) and sends them to the sink.
@inline(__always)
private func _sweepRow<Sink: _CoverageSink>(
    _ line: UnsafeMutablePointer<Float>, first: Int, last: Int, visibleEnd: Int, rule: FillRule, y: Int,
    originX: Int, sink: inout Sink
) {
    var sum: Float = 0
    var runStart = first
    var runCoverage: Float = 0
    let end = min(last + 1, visibleEnd)
    var column = first
    let raw = UnsafeRawPointer(line)
    while column < end {
        // Inside a shape most cells hold no delta: skip them four at a time (all bits zero is +0.0).
        while column + 4 <= end
            && raw.loadUnaligned(fromByteOffset: column * 4, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: column * 4 + 8, as: UInt64.self) == 0
        {
            column += 4
        }
        guard column < end else { break }
        let delta = line[column]
        if delta != 0 {
            line[column] = 0
            sum += delta
            let coverage = _coverage(sum, rule: rule)
            if coverage != runCoverage {
                if runCoverage > 0 && column > runStart {
                    sink.span(y: y, x: runStart + originX, count: column - runStart, coverage: runCoverage)
                }
                runStart = column
                runCoverage = coverage
            }
        }
        column += 1
    }
    // Past the last delta the coverage stays constant up to the clip's right edge (non-zero only when edges
    // were cut there).
    if runCoverage > 0 && visibleEnd > runStart {
        sink.span(y: y, x: runStart + originX, count: visibleEnd - runStart, coverage: runCoverage)
    }
    if end <= last {
        for column in max(end, first)...last { line[column] = 0 }
    }
}

/// Coverage in 0...1 from an accumulated winding area. Values that round to no visible change are snapped to
/// 0 or 1 so that float noise does not leave faint streaks or break solid spans.
@inline(__always)
func _coverage(_ sum: Float, rule: FillRule) -> Float {
    var value = abs(sum)
    if rule == .evenOdd {
        value -= 2 * (value * 0.5).rounded(.down)
        if value > 1 { value = 2 - value }
    } else if value > 1 {
        value = 1
    }
    if value < 1e-4 { return 0 }
    if value > 1 - 1e-4 { return 1 }
    return value
}
