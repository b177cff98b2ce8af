/// The analytic fast path for axis-aligned rectangles: the coverage of pixel (x, y) is the product of the
/// rectangle's overlap with the pixel's column and row, exact with fractional edges. A rectangle outline with
/// square (miter) corners is the outer rectangle minus the inner one, so its coverage is the difference.
///
/// Each row is split at the integer columns where an edge starts or ends; between them coverage is constant, so
/// a 2 px box outline costs a few runs per row however wide it is. The general rasterizer is its naive twin
/// (tests compare them on random rectangles).
func _rectangleCoverage<Sink: _CoverageSink>(outer: _Box, inner: _Box?, width: Int, height: Int, into sink: inout Sink) {
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
    let firstRow = max(Int(o.minY.rounded(.down)), 0)
    let endRow = min(Int(o.maxY.rounded(.up)), height)
    var breaks: [Int] = []
    breaks.reserveCapacity(8)
    // Rows with the same vertical overlaps have the same runs (all the middle rows of a box outline): compute
    // them once.
    var runs: [(x: Int, count: Int, coverage: Float)] = []
    runs.reserveCapacity(8)
    var runsKey: (Double, Double) = (-1, -1)
    for row in firstRow..<endRow {
        let outerRow = _overlap(o.minY, o.maxY, row)
        let innerRow = i.map { _overlap($0.minY, $0.maxY, row) } ?? 0
        if outerRow != runsKey.0 || innerRow != runsKey.1 {
            runsKey = (outerRow, innerRow)
            runs.removeAll(keepingCapacity: true)
            breaks.removeAll(keepingCapacity: true)
            breaks.append(Int(o.minX.rounded(.down)))
            breaks.append(Int(o.minX.rounded(.up)))
            breaks.append(Int(o.maxX.rounded(.down)))
            breaks.append(Int(o.maxX.rounded(.up)))
            if let i, innerRow > 0 {
                breaks.append(Int(i.minX.rounded(.down)))
                breaks.append(Int(i.minX.rounded(.up)))
                breaks.append(Int(i.maxX.rounded(.down)))
                breaks.append(Int(i.maxX.rounded(.up)))
            }
            for index in breaks.indices { breaks[index] = min(max(breaks[index], 0), width) }
            breaks.sort()
            var previous = breaks[0]
            for next in breaks.dropFirst() where next > previous {
                // No edge inside (previous, next): every pixel of the run has the first one's coverage.
                var coverage = outerRow * _overlap(o.minX, o.maxX, previous)
                if let i, innerRow > 0 { coverage -= innerRow * _overlap(i.minX, i.maxX, previous) }
                if coverage > 1e-9 { runs.append((previous, next - previous, Float(min(coverage, 1)))) }
                previous = next
            }
        }
        for run in runs { sink.span(y: row, x: run.x, count: run.count, coverage: run.coverage) }
    }
}

/// The length of [low, high] ∩ [pixel, pixel + 1].
@inline(__always)
private func _overlap(_ low: Double, _ high: Double, _ pixel: Int) -> Double {
    let start = max(low, Double(pixel))
    let end = min(high, Double(pixel + 1))
    return max(end - start, 0)
}
