import VisCore
import VisDraw

/// Paints a figure onto a ``VisDraw/Canvas``: anti-aliased paths, markers stamped from one pre-rendered
/// coverage mask per quarter-pixel phase, FreeType text.
public struct RasterRenderer: PlotRenderer {
    /// The figure's pixels.
    public private(set) var canvas: Canvas
    /// The canvas being drawn while a clip is active, and where it sits on ``canvas``.
    private var clipped: (canvas: Canvas, x: Int, y: Int)?

    /// A renderer over a new white (or `background`) RGB image.
    ///
    /// - Throws: ``VisCoreError`` for unusable dimensions.
    public init(width: Int, height: Int, background: Color = Color(red: 255, green: 255, blue: 255)) throws {
        canvas = try Canvas(width: width, height: height, layout: .rgb, background: background)
    }

    /// The image drawn so far.
    public var image: Image { canvas.image }
    public var pixelWidth: Int { canvas.width }
    public var pixelHeight: Int { canvas.height }

    public mutating func beginClip(_ rect: PixelRect) throws {
        try endClip()
        let left = max(Int(rect.x.rounded()), 0)
        let top = max(Int(rect.y.rounded()), 0)
        let right = min(Int(rect.maxX.rounded()), canvas.width)
        let bottom = min(Int(rect.maxY.rounded()), canvas.height)
        let region = try canvas.image.cropped(x: left, y: top, width: max(right - left, 0), height: max(bottom - top, 0))
        clipped = (Canvas(image: region), left, top)
    }

    public mutating func endClip() throws {
        guard let active = clipped else { return }
        clipped = nil
        canvas.image.paste(active.canvas.image, atX: active.x, y: active.y)
    }

    /// Runs `body` on the canvas in use and the offset of its origin on the figure.
    private mutating func withTarget<R>(_ body: (inout Canvas, Double, Double) throws -> R) rethrows -> R {
        if var active = clipped {
            clipped = nil
            defer { clipped = active }
            return try body(&active.canvas, Double(active.x), Double(active.y))
        }
        return try body(&canvas, 0, 0)
    }

    public mutating func drawPath(_ path: Path, fill: Color?, stroke: PlotStroke?, alpha: Double) throws {
        try withTarget { target, dx, dy in
            let local = path._translated(-dx, -dy)
            if let fill, !fill.isTransparent {
                try target.fill(local, color: fill, opacity: alpha)
            }
            if let stroke, !stroke.color.isTransparent, stroke.width > 0 {
                try target.stroke(local, style: _strokeStyle(stroke), color: stroke.color, opacity: alpha)
            }
        }
    }

    public mutating func drawMarkers(
        _ marker: Path, at points: [Point], faceColors: [Color], edgeColors: [Color], edgeWidth: Double, alpha: Double
    ) throws {
        guard !points.isEmpty, !marker.isEmpty else { return }
        var edgeStyle = edgeWidth > 0 && !edgeColors.isEmpty ? StrokeStyle(lineWidth: edgeWidth) : nil
        // Opaque markers edged in their own colour composite once with the union of fill and edge coverage:
        // the same pixels as two passes, half the work.
        let merged =
            edgeStyle != nil && alpha == 1 && edgeColors == faceColors && faceColors.allSatisfy { $0.alpha == 255 }
        let stamps = try _MarkerStamps(marker: marker, edge: edgeStyle, filled: !faceColors.isEmpty, merged: merged)
        if merged { edgeStyle = nil }
        withTarget { target, dx, dy in
            let (width, height) = (Double(target.width), Double(target.height))
            let reach = stamps.reach
            for (index, point) in points.enumerated() {
                let x = point.x - dx
                let y = point.y - dy
                guard x.isFinite, y.isFinite, x > -reach, y > -reach, x < width + reach, y < height + reach else {
                    continue
                }
                let qx = Int((x * 4).rounded(.down))
                let qy = Int((y * 4).rounded(.down))
                let phase = (qx & 3) + 4 * (qy & 3)
                if !faceColors.isEmpty {
                    let color = faceColors.count == 1 ? faceColors[0] : faceColors[index]
                    target.composite(stamps.stamp(kind: 0, phase: phase, x: qx >> 2, y: qy >> 2), color: color, opacity: alpha)
                }
                if edgeStyle != nil {
                    let color = edgeColors.count == 1 ? edgeColors[0] : edgeColors[index]
                    target.composite(stamps.stamp(kind: 1, phase: phase, x: qx >> 2, y: qy >> 2), color: color, opacity: alpha)
                }
            }
        }
    }

    public mutating func drawText(_ layout: TextLayout, in box: PixelRect, color: Color, rotated: Bool) throws {
        guard !layout.isEmpty else { return }
        // VisDraw anchors a layout by its own horizontal alignment; the box's left edge is moved there.
        let anchorShift: Double
        switch layout.horizontalAlignment {
        case .left: anchorShift = 0
        case .center: anchorShift = layout.width / 2
        case .right: anchorShift = layout.width
        }
        try withTarget { target, dx, dy in
            if !rotated {
                try TextRenderer.shared.draw(
                    layout, x: box.x - dx + anchorShift, y: box.y - dy, verticalAlignment: .top, color: color, on: &target)
                return
            }
            // Draw upright into a coverage plane, then turn it a quarter counter-clockwise.
            let planeWidth = Int(layout.width.rounded(.up)) + 2
            let planeHeight = Int(layout.height.rounded(.up)) + 2
            var plane = try Canvas(width: planeWidth, height: planeHeight, layout: .gray, background: Color(red: 0, green: 0, blue: 0))
            try TextRenderer.shared.draw(
                layout, x: 1 + anchorShift, y: 1, verticalAlignment: .top, color: Color(red: 255, green: 255, blue: 255), on: &plane)
            let source = plane.image.pixels
            var coverage = [UInt8](repeating: 0, count: planeWidth * planeHeight)
            // Rotated: new width = planeHeight, new height = planeWidth; new (u, v) shows old (W-1-v, u).
            for v in 0..<planeWidth {
                for u in 0..<planeHeight {
                    coverage[v * planeHeight + u] = source[u * planeWidth + (planeWidth - 1 - v)]
                }
            }
            if let mask = CoverageMask(
                originX: Int((box.x - dx).rounded()) - 1, originY: Int((box.y - dy).rounded()) - 1,
                width: planeHeight, height: planeWidth, coverage: coverage)
            {
                target.composite(mask, color: color)
            }
        }
    }

    public mutating func drawImage(_ image: Image, in rect: PixelRect) throws {
        let width = Int(rect.width.rounded())
        let height = Int(rect.height.rounded())
        guard width > 0, height > 0, !image.isEmpty else { return }
        let scaled = try _resampled(image, width: width, height: height)
        let placed = scaled
        withTarget { target, dx, dy in
            target.image.paste(placed, atX: Int((rect.x - dx).rounded()), y: Int((rect.y - dy).rounded()))
        }
    }
}

/// Converts a plot stroke to VisDraw's style.
func _strokeStyle(_ stroke: PlotStroke) -> StrokeStyle {
    var dash: DashPattern?
    if let intervals = stroke.dash, !intervals.isEmpty { dash = try? DashPattern(intervals: intervals) }
    return StrokeStyle(lineWidth: stroke.width, join: stroke.join, cap: stroke.cap, dash: dash)
}

/// A marker's fill and edge coverage, rendered once per quarter-pixel phase and stamped at every point.
struct _MarkerStamps {
    /// [kind][phase] masks with origins relative to the point's whole pixel.
    private var masks: [[CoverageMask]]
    /// How far the marker reaches from its centre, in pixels.
    let reach: Double

    init(marker: Path, edge: StrokeStyle?, filled: Bool, merged: Bool = false) throws {
        var extent = 0.0
        for element in marker.elements {
            switch element {
            case .move(let p), .line(let p): extent = max(extent, abs(p.x), abs(p.y))
            case let .quadCurve(to, c): extent = max(extent, abs(to.x), abs(to.y), abs(c.x), abs(c.y))
            case let .curve(to, c1, c2):
                extent = max(extent, abs(to.x), abs(to.y), abs(c1.x), abs(c1.y), abs(c2.x), abs(c2.y))
            case .close: break
            }
        }
        let pad = (edge?.lineWidth ?? 0) / 2 + 2
        reach = extent + pad
        let size = Int((2 * reach).rounded(.up)) + 2
        let center = Double(size / 2)
        let canvas = try Canvas(width: size, height: size, layout: .gray)
        var fills: [CoverageMask] = []
        var edges: [CoverageMask] = []
        for phase in 0..<16 {
            let fx = Double(phase & 3) / 4 + 0.125
            let fy = Double(phase >> 2) / 4 + 0.125
            let placed = marker._translated(center + fx, center + fy)
            var fill = filled ? try canvas.coverageMask(filling: placed) : CoverageMask(originX: 0, originY: 0, width: 0, height: 0)
            fill.originX -= Int(center)
            fill.originY -= Int(center)
            fills.append(fill)
            if let edge {
                var stroke = try canvas.coverageMask(stroking: placed, style: edge)
                stroke.originX -= Int(center)
                stroke.originY -= Int(center)
                if merged {
                    fills[phase] = _MarkerStamps.union(fill, stroke)
                } else {
                    edges.append(stroke)
                }
            }
        }
        masks = [fills, edges]
    }

    /// Coverage of drawing `a` then `b` in one colour: a + b − a·b.
    static func union(_ a: CoverageMask, _ b: CoverageMask) -> CoverageMask {
        guard a.width > 0, a.height > 0 else { return b }
        guard b.width > 0, b.height > 0 else { return a }
        let left = min(a.originX, b.originX)
        let top = min(a.originY, b.originY)
        let right = max(a.originX + a.width, b.originX + b.width)
        let bottom = max(a.originY + a.height, b.originY + b.height)
        var result = CoverageMask(originX: left, originY: top, width: right - left, height: bottom - top)
        for mask in [a, b] {
            for row in 0..<mask.height {
                for column in 0..<mask.width {
                    let target = (row + mask.originY - top) * result.width + (column + mask.originX - left)
                    let existing = Int(result.coverage[target])
                    let added = Int(mask.coverage[row * mask.width + column])
                    result.coverage[target] = UInt8(existing + added - (existing * added + 127) / 255)
                }
            }
        }
        return result
    }

    /// The stamp of `kind` (0 fill, 1 edge) for `phase`, placed at whole pixel (`x`, `y`). The copy shares the
    /// stamp's coverage storage: only the origin changes, so nothing is allocated.
    func stamp(kind: Int, phase: Int, x: Int, y: Int) -> CoverageMask {
        var mask = masks[kind][phase]
        mask.originX += x
        mask.originY += y
        return mask
    }
}
