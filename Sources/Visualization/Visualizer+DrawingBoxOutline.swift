import Foundation
import VisCore
import VisDraw

/// The exact coverage of a solid box outline with round joins (what `drawBoundingBoxes` strokes), computed
/// analytically instead of by the general rasterizer: detection results draw hundreds of boxes, and this is what
/// makes them cheap.
///
/// The stroke of the rectangle `(x1, y1)–(x2, y2)` with half-width `h` is the frame between the outer rectangle
/// (grown by `h`) and the inner one (shrunk by `h`), except at the four outer corners, where a round join covers
/// only the quarter disc of radius `h` around the corner instead of the whole `h × h` square. So the coverage of a
/// pixel is `outer − inner − Σ square + Σ quarter disc`, each an exact area: the rectangles as products of 1-D
/// overlaps, the disc through the antiderivative of `sqrt(r² − u²)`.
///
/// The outline is composited band by band (top rows, bottom rows, the left and right columns between them), each
/// pixel exactly once, so the alpha of the stroke is applied once per pixel as in a single fill.
struct _BoxOutline {
    let x1: Double
    let y1: Double
    let x2: Double
    let y2: Double
    let half: Double

    /// An outline this type can draw: a finite box whose inner rectangle is not empty (thinner boxes take the
    /// general stroker).
    init?(x1: Double, y1: Double, x2: Double, y2: Double, lineWidth: Double) {
        let half = lineWidth / 2
        guard lineWidth >= 1, x2 - x1 > lineWidth, y2 - y1 > lineWidth,
            [x1, y1, x2, y2].allSatisfy({ abs($0) < 1e7 })
        else { return nil }
        (self.x1, self.y1, self.x2, self.y2, self.half) = (x1, y1, x2, y2, half)
    }

    /// The coverage of pixel (`column`, `row`), 0...1.
    func coverage(column: Int, row: Int) -> Double {
        let outer = _overlap(x1 - half, x2 + half, column) * _overlap(y1 - half, y2 + half, row)
        let inner = _overlap(x1 + half, x2 - half, column) * _overlap(y1 + half, y2 - half, row)
        var value = outer - inner
        // Only pixels that touch a corner square need the join correction.
        let left = Double(column)
        let top = Double(row)
        let nearLeft = left < x1 && left + 1 > x1 - half
        let nearRight = left < x2 + half && left + 1 > x2
        guard nearLeft || nearRight else { return min(max(value, 0), 1) }
        let nearTop = top < y1 && top + 1 > y1 - half
        let nearBottom = top < y2 + half && top + 1 > y2
        guard nearTop || nearBottom else { return min(max(value, 0), 1) }
        // Each corner's square, and the quarter disc inside it, in the corner's own (u, v) = distance from the
        // corner outwards.
        let columnU = nearLeft ? (x1 - (left + 1), x1 - left) : (left - x2, left + 1 - x2)
        let rowV = nearTop ? (y1 - (top + 1), y1 - top) : (top - y2, top + 1 - y2)
        let u0 = max(columnU.0, 0)
        let u1 = min(columnU.1, half)
        let v0 = max(rowV.0, 0)
        let v1 = min(rowV.1, half)
        if u1 > u0, v1 > v0 {
            value += _BoxOutline.quarterDiscArea(radius: half, u0: u0, u1: u1, v0: v0, v1: v1) - (u1 - u0) * (v1 - v0)
        }
        return min(max(value, 0), 1)
    }

    /// The area of `{u² + v² <= r²} ∩ [u0, u1] × [v0, v1]` for `0 <= u0 < u1 <= r`, `0 <= v0 < v1 <= r`.
    static func quarterDiscArea(radius r: Double, u0: Double, u1: Double, v0: Double, v1: Double) -> Double {
        // Above u = ua the circle is below v1; above u = ub it is below v0.
        let ua = (max(r * r - v1 * v1, 0)).squareRoot()
        let ub = (max(r * r - v0 * v0, 0)).squareRoot()
        let full = max(min(u1, ua) - u0, 0) * (v1 - v0)
        let start = max(u0, ua)
        let end = min(u1, ub)
        guard end > start else { return full }
        func antiderivative(_ u: Double) -> Double {
            let clamped = min(u, r)
            return 0.5 * (clamped * (max(r * r - clamped * clamped, 0)).squareRoot() + r * r * asin(clamped / r))
        }
        return full + antiderivative(end) - antiderivative(start) - v0 * (end - start)
    }

    /// The outline's coverage as masks that partition its pixels, clipped to a `width`×`height` image.
    func masks(width: Int, height: Int) -> [CoverageMask] {
        func clampedFloor(_ value: Double, _ limit: Int) -> Int { min(max(Int(value.rounded(.down)), 0), limit) }
        func clampedCeil(_ value: Double, _ limit: Int) -> Int { min(max(Int(value.rounded(.up)), 0), limit) }
        let firstColumn = clampedFloor(x1 - half, width)
        let endColumn = clampedCeil(x2 + half, width)
        let topStart = clampedFloor(y1 - half, height)
        let topEnd = clampedCeil(y1 + half, height)
        let bottomStart = clampedFloor(y2 - half, height)
        let bottomEnd = clampedCeil(y2 + half, height)
        guard firstColumn < endColumn, topStart < bottomEnd else { return [] }

        func evaluated(columns: Range<Int>, rows: Range<Int>) -> CoverageMask? {
            guard !columns.isEmpty, !rows.isEmpty else { return nil }
            var mask = CoverageMask(
                originX: columns.lowerBound, originY: rows.lowerBound, width: columns.count, height: rows.count)
            mask.coverage.withUnsafeMutableBufferPointer { samples in
                var index = 0
                for row in rows {
                    for column in columns {
                        samples[index] = UInt8((coverage(column: column, row: row) * 255).rounded())
                        index += 1
                    }
                }
            }
            return mask
        }
        /// Middle rows have the same coverage in every row: compute one and repeat it.
        func repeated(columns: Range<Int>, rows: Range<Int>) -> CoverageMask? {
            guard !columns.isEmpty, !rows.isEmpty,
                let row = evaluated(columns: columns, rows: rows.lowerBound..<(rows.lowerBound + 1))
            else { return nil }
            var coverage: [UInt8] = []
            coverage.reserveCapacity(columns.count * rows.count)
            for _ in rows { coverage += row.coverage }
            return CoverageMask(
                originX: columns.lowerBound, originY: rows.lowerBound, width: columns.count, height: rows.count,
                coverage: coverage)
        }

        let columns = firstColumn..<endColumn
        guard topEnd < bottomStart else {
            return [evaluated(columns: columns, rows: topStart..<bottomEnd)].compactMap { $0 }
        }
        var masks = [
            evaluated(columns: columns, rows: topStart..<topEnd),
            evaluated(columns: columns, rows: bottomStart..<bottomEnd),
        ]
        let middle = topEnd..<bottomStart
        let leftEnd = clampedCeil(x1 + half, width)
        let rightStart = clampedFloor(x2 - half, width)
        if leftEnd >= rightStart {
            masks.append(repeated(columns: columns, rows: middle))
        } else {
            masks.append(repeated(columns: firstColumn..<leftEnd, rows: middle))
            masks.append(repeated(columns: rightStart..<endColumn, rows: middle))
        }
        return masks.compactMap { $0 }
    }
}

/// The length of [low, high] ∩ [pixel, pixel + 1].
@inline(__always)
private func _overlap(_ low: Double, _ high: Double, _ pixel: Int) -> Double {
    max(min(high, Double(pixel + 1)) - max(low, Double(pixel)), 0)
}
