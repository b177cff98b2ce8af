import Foundation

/// The analytic fast path for axis-aligned rectangles: the coverage of pixel (x, y) is the product of the
/// rectangle's overlap with the pixel's column and row, exact with fractional edges. A rectangle outline is the
/// outer rectangle minus the inner one, so its coverage is the difference; with round joins the outer
/// rectangle's corners are quarter circles of radius `cornerRadius`, whose exact area per pixel is subtracted
/// from the square corner's.
///
/// Each row is split at the integer columns where an edge starts or ends; between them coverage is constant, so
/// a 2 px box outline costs a few runs per row however wide it is (pixels under a rounded corner are sent one
/// by one). Rows with the same runs reuse them. Scratch space is on the stack: no allocation per call. The
/// general rasterizer (and stroker) is its naive twin; tests compare them on random rectangles.
func _rectangleCoverage<Sink: _CoverageSink>(
    outer: _Box, cornerRadius: Double = 0, inner: _Box?, width: Int, height: Int, into sink: inout Sink
) {
    guard width > 0, height > 0 else { return }
    let clipX = Double(width)
    let clipY = Double(height)
    guard outer.maxX > 0, outer.minX < clipX, outer.maxY > 0, outer.minY < clipY else { return }
    // Clipping the boxes to the image first keeps every integer conversion in range for huge coordinates.
    func clipped(_ box: _Box) -> _Box {
        _Box(
            minX: min(max(box.minX, -1), clipX + 1), minY: min(max(box.minY, -1), clipY + 1),
            maxX: min(max(box.maxX, -1), clipX + 1), maxY: min(max(box.maxY, -1), clipY + 1))
    }
    let o = clipped(outer)
    let i = inner.map(clipped)
    let radius = min(max(cornerRadius, 0), (outer.maxX - outer.minX) / 2, (outer.maxY - outer.minY) / 2)
    let firstRow = max(Int(o.minY.rounded(.down)), 0)
    let endRow = min(Int(o.maxY.rounded(.up)), height)
    // Breaks: 4 per box and 4 per active corner (at most 4 corners); runs: one between consecutive breaks.
    withUnsafeTemporaryAllocation(of: Int.self, capacity: 24) { breaks in
        withUnsafeTemporaryAllocation(of: _Run.self, capacity: 24) { runs in
        withUnsafeTemporaryAllocation(of: _RoundCorner.self, capacity: 4) { cornerBuffer in
            var cornerCount = 0
            if radius > 0 {
                let image = _Box(minX: 0, minY: 0, maxX: clipX, maxY: clipY)
                for index in 0..<4 {
                    let corner = _RoundCorner(box: outer, radius: radius, right: index & 1 == 1, bottom: index >= 2)
                    if corner.square.intersects(image) {
                        cornerBuffer.initializeElement(at: cornerCount, to: corner)
                        cornerCount += 1
                    }
                }
            }
            let corners = UnsafeBufferPointer(rebasing: cornerBuffer[0..<cornerCount])
            defer { _ = cornerBuffer[0..<cornerCount].deinitialize() }
            // Fetch every row's memory up front: the reads are independent, so their cache misses overlap.
            let touchLeft = Int(min(max(o.minX, 0), clipX - 1))
            let touchRight = Int(min(max(o.maxX - 1, 0), clipX - 1))
            for row in firstRow..<endRow {
                sink.touchRow(y: row, x: touchLeft)
                sink.touchRow(y: row, x: touchRight)
            }
            var runCount = 0
            var runsKey: (Double, Double) = (-1, -1)
            for row in firstRow..<endRow {
                let outerRow = _overlap(o.minY, o.maxY, row)
                let innerRow = i.map { _overlap($0.minY, $0.maxY, row) } ?? 0
                let cornered = corners.contains { $0.coversRow(row) }
                if cornered || outerRow != runsKey.0 || innerRow != runsKey.1 {
                    // Rows under a corner are never reused: their cut changes from row to row.
                    runsKey = cornered ? (-1, -1) : (outerRow, innerRow)
                    var breakCount = 0
                    func addBreaks(_ low: Double, _ high: Double) {
                        breaks[breakCount] = Int(min(max(low.rounded(.down), 0), clipX))
                        breaks[breakCount + 1] = Int(min(max(low.rounded(.up), 0), clipX))
                        breaks[breakCount + 2] = Int(min(max(high.rounded(.down), 0), clipX))
                        breaks[breakCount + 3] = Int(min(max(high.rounded(.up), 0), clipX))
                        breakCount += 4
                    }
                    addBreaks(o.minX, o.maxX)
                    if let i, innerRow > 0 { addBreaks(i.minX, i.maxX) }
                    for corner in corners where corner.coversRow(row) {
                        addBreaks(min(max(corner.square.minX, -1), clipX + 1), min(max(corner.square.maxX, -1), clipX + 1))
                    }
                    _insertionSort(breaks, count: breakCount)
                    runCount = 0
                    var previous = breaks[0]
                    for index in 1..<breakCount where breaks[index] > previous {
                        let next = breaks[index]
                        // No edge inside (previous, next): every pixel of the run has the first one's coverage,
                        // except under a rounded corner.
                        var coverage = outerRow * _overlap(o.minX, o.maxX, previous)
                        if let i, innerRow > 0 { coverage -= innerRow * _overlap(i.minX, i.maxX, previous) }
                        if coverage > 1e-9 {
                            runs[runCount] = _Run(x: previous, count: next - previous, coverage: coverage)
                            runCount += 1
                        }
                        previous = next
                    }
                }
                for run in runs[0..<runCount] {
                    if cornered {
                        _emitCornered(run, row: row, corners: corners, into: &sink)
                    } else {
                        sink.span(y: row, x: run.x, count: run.count, coverage: Float(min(run.coverage, 1)))
                    }
                }
            }
        }
        }
    }
}

/// A run of equal coverage in one row.
private struct _Run {
    var x: Int
    var count: Int
    var coverage: Double
}

/// Sends a run of a row under rounded corners: pixels inside a corner's square lose their cut one by one
/// (a pixel column can touch two corners' squares when the box is barely wider than two radii).
@inline(__always)
private func _emitCornered<Sink: _CoverageSink>(
    _ run: _Run, row: Int, corners: UnsafeBufferPointer<_RoundCorner>, into sink: inout Sink
) {
    guard corners.contains(where: { $0.coversRow(row) && $0.coversColumns(run.x, run.x + run.count) }) else {
        sink.span(y: row, x: run.x, count: run.count, coverage: Float(min(run.coverage, 1)))
        return
    }
    for x in run.x..<(run.x + run.count) {
        var coverage = run.coverage
        for corner in corners { coverage -= corner.cut(x: x, y: row) }
        if coverage > 1e-9 { sink.span(y: row, x: x, count: 1, coverage: Float(min(coverage, 1))) }
    }
}

/// One rounded outer corner: the square of side `radius` at a corner of the box, of which everything outside
/// the quarter circle centred on the square's inner corner is cut away.
private struct _RoundCorner {
    let square: _Box
    let centerX: Double
    let centerY: Double
    let radius: Double
    let right: Bool
    let bottom: Bool

    init(box: _Box, radius: Double, right: Bool, bottom: Bool) {
        self.radius = radius
        self.right = right
        self.bottom = bottom
        let x0 = right ? box.maxX - radius : box.minX
        let y0 = bottom ? box.maxY - radius : box.minY
        square = _Box(minX: x0, minY: y0, maxX: x0 + radius, maxY: y0 + radius)
        centerX = right ? x0 : x0 + radius
        centerY = bottom ? y0 : y0 + radius
    }

    func coversRow(_ row: Int) -> Bool { _overlap(square.minY, square.maxY, row) > 0 }

    func coversColumns(_ start: Int, _ end: Int) -> Bool {
        Double(start) < square.maxX && Double(end) > square.minX
    }

    /// The area of pixel (x, y) inside the square but outside the quarter circle.
    func cut(x: Int, y: Int) -> Double {
        let x0 = max(Double(x), square.minX)
        let x1 = min(Double(x + 1), square.maxX)
        let y0 = max(Double(y), square.minY)
        let y1 = min(Double(y + 1), square.maxY)
        guard x1 > x0, y1 > y0 else { return 0 }
        // Distances from the circle's centre towards the corner.
        let (u0, u1) = right ? (x0 - centerX, x1 - centerX) : (centerX - x1, centerX - x0)
        let (v0, v1) = bottom ? (y0 - centerY, y1 - centerY) : (centerY - y1, centerY - y0)
        let disc = _quarterDiscArea(
            u0: min(max(u0, 0), radius), u1: min(max(u1, 0), radius), v0: min(max(v0, 0), radius),
            v1: min(max(v1, 0), radius), radius: radius)
        return max((x1 - x0) * (y1 - y0) - disc, 0)
    }
}

/// The area of [u0, u1] × [v0, v1] (within [0, r]²) inside the circle u² + v² ≤ r²: the integral over u of the
/// circle's height √(r² − u²) clamped to [v0, v1], split where the height crosses v1 and v0.
func _quarterDiscArea(u0: Double, u1: Double, v0: Double, v1: Double, radius r: Double) -> Double {
    guard u1 > u0, v1 > v0 else { return 0 }
    let r2 = r * r
    // Cells wholly inside or outside the circle need no integral.
    if u1 * u1 + v1 * v1 <= r2 { return (u1 - u0) * (v1 - v0) }
    if u0 * u0 + v0 * v0 >= r2 { return 0 }
    // Height above v1 for u < ua, between v0 and v1 for ua ≤ u ≤ ub, below v0 beyond.
    let ua = max(r2 - v1 * v1, 0).squareRoot()
    let ub = max(r2 - v0 * v0, 0).squareRoot()
    let full = max(min(u1, ua) - u0, 0) * (v1 - v0)
    let a = max(u0, ua)
    let b = min(u1, ub)
    guard b > a else { return full }
    // ∫ √(r² − u²) du = (u √(r² − u²) + r² asin(u / r)) / 2; the two arcsines of the difference combine into
    // one (asin x − asin y = asin(x √(1 − y²) − y √(1 − x²)) for 0 ≤ y ≤ x ≤ 1).
    let heightA = max(r2 - a * a, 0).squareRoot()
    let heightB = max(r2 - b * b, 0).squareRoot()
    let angle = asin(min(max((b * heightA - a * heightB) / r2, -1), 1))
    return full + (b * heightB - a * heightA + r2 * angle) / 2 - v0 * (b - a)
}

@inline(__always)
private func _insertionSort(_ values: UnsafeMutableBufferPointer<Int>, count: Int) {
    guard count > 1 else { return }
    for index in 1..<count {
        let value = values[index]
        var position = index
        while position > 0 && values[position - 1] > value {
            values[position] = values[position - 1]
            position -= 1
        }
        values[position] = value
    }
}

/// The length of [low, high] ∩ [pixel, pixel + 1].
@inline(__always)
private func _overlap(_ low: Double, _ high: Double, _ pixel: Int) -> Double {
    let start = max(low, Double(pixel))
    let end = min(high, Double(pixel + 1))
    return max(end - start, 0)
}
