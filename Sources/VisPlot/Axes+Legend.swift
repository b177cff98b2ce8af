import VisCore
import VisDraw

/// One legend entry: what its handle looks like and its label.
enum _LegendHandle {
    case line(color: Color, widthPoints: Double, style: LineStyle, marker: Marker, markerSizePoints: Double, alpha: Double)
    case markers(color: Color, areaPoints: Double, marker: Marker, edges: EdgeColors, lineWidthPoints: Double, alpha: Double)
    case patch(color: Color, alpha: Double)
}

extension Axes {
    /// The labelled artists' legend handles, in the order the artists were added (labels starting with `_`
    /// are hidden, as in matplotlib).
    func legendEntries() -> [(handle: _LegendHandle, label: String)] {
        var entries: [(handle: _LegendHandle, label: String)] = []
        func visible(_ label: String?) -> String? {
            guard let label, !label.isEmpty, !label.hasPrefix("_") else { return nil }
            return label
        }
        for artist in artists {
            switch artist {
            case .line(let line):
                if let label = visible(line.label) {
                    entries.append(
                        (.line(
                            color: line.color, widthPoints: line.widthPoints, style: line.style, marker: line.marker,
                            markerSizePoints: line.markerSizePoints, alpha: line.alpha), label))
                }
            case .referenceLine(let line):
                if let label = visible(line.label) {
                    entries.append(
                        (.line(
                            color: line.color, widthPoints: line.widthPoints, style: line.style, marker: .none,
                            markerSizePoints: 6, alpha: line.alpha), label))
                }
            case .scatter(let scatter):
                if let label = visible(scatter.label) {
                    let area = ((scatter.sizes.max() ?? 36) + (scatter.sizes.min() ?? 36)) / 2
                    entries.append(
                        (.markers(
                            color: scatter.colors.first ?? ColorPalette.tab10[0], areaPoints: area, marker: scatter.marker,
                            edges: scatter.edges, lineWidthPoints: scatter.lineWidthPoints, alpha: scatter.alpha), label))
                }
            case .fill(let fill):
                if let label = visible(fill.label) { entries.append((.patch(color: fill.color, alpha: fill.alpha), label)) }
            case .image, .text: break
            }
        }
        return entries
    }

    /// The legend's measured layout: entries, their text layouts, row baselines (from the box top), and the box.
    func legendLayout(
        _ request: (location: LegendLocation, fontSize: Double, frameAlpha: Double), x: _AxisTransform,
        y: _AxisTransform, rect: PixelRect
    ) throws -> (entries: [(handle: _LegendHandle, label: String)], layouts: [TextLayout], baselines: [Double], box: PixelRect)? {
        let entries = legendEntries()
        guard !entries.isEmpty else { return nil }
        let fs = request.fontSize * geometry.scale
        let layouts = try entries.map { try geometry.layout($0.label, sizePoints: request.fontSize, font: font) }
        let handleHeight = 0.7 * fs
        let textX = 0.4 * fs + 2.0 * fs + 0.8 * fs
        var baselines: [Double] = []
        var top = 0.4 * fs
        for layout in layouts {
            let ascent = layout.lines.last?.baseline ?? layout.height
            let above = max(handleHeight, ascent)
            let below = max(0, layout.height - ascent)
            baselines.append(top + above)
            top += above + below + 0.5 * fs
        }
        let width = textX + (layouts.map(\.width).max() ?? 0) + 0.4 * fs
        let height = top - 0.5 * fs + 0.4 * fs
        let origin = try legendOrigin(request.location, width: width, height: height, rect: rect, pad: 0.5 * fs, x: x, y: y)
        return (entries, layouts, baselines, PixelRect(x: origin.x, y: origin.y, width: width, height: height))
    }

    /// The legend's box in figure pixels, or nil without a legend (or without labelled artists).
    public func legendRect() throws -> PixelRect? {
        guard let request = legendRequest else { return nil }
        let (x, y) = try transforms()
        return try legendLayout(request, x: x, y: y, rect: pixelRect)?.box
    }

    /// Draws the legend (nothing when no artist has a label).
    func drawLegend<R: PlotRenderer>(
        _ request: (location: LegendLocation, fontSize: Double, frameAlpha: Double), with renderer: inout R,
        x: _AxisTransform, y: _AxisTransform, rect: PixelRect
    ) throws {
        guard let measured = try legendLayout(request, x: x, y: y, rect: rect) else { return }
        let (entries, layouts) = (measured.entries, measured.layouts)
        let pt = geometry.scale
        let fs = request.fontSize * pt
        let handleWidth = 2.0 * fs
        let handleHeight = 0.7 * fs
        let textX = 0.4 * fs + handleWidth + 0.8 * fs
        let origin = Point(measured.box.x, measured.box.y)
        let (width, height) = (measured.box.width, measured.box.height)

        // Frame: a rounded box (quadratic corners, radius 0.2 font sizes), white at the frame alpha, light grey edge.
        let radius = 0.2 * fs
        let frame = _roundedRect(PixelRect(x: origin.x, y: origin.y, width: width, height: height), radius: radius)
        try renderer.drawPath(
            frame, fill: faceColor, stroke: PlotStroke(color: Color(red: 204, green: 204, blue: 204), width: 1.0 * pt, join: .miter),
            alpha: request.frameAlpha)

        for (index, entry) in entries.enumerated() {
            let baseline = origin.y + measured.baselines[index]
            let left = origin.x + 0.4 * fs
            switch entry.handle {
            case let .line(color, widthPoints, style, marker, markerSize, alpha):
                let lineY = baseline - handleHeight / 2
                if widthPoints > 0 {
                    try renderer.drawPath(
                        Path.line(from: Point(left, lineY), to: Point(left + handleWidth, lineY)), fill: nil,
                        stroke: lineStroke(color: color, widthPoints: widthPoints, style: style), alpha: alpha)
                }
                if marker != .none {
                    try renderer.drawMarkers(
                        marker.path(size: markerSize * pt), at: _snappedMarkerPoints([Point(left + handleWidth / 2, lineY)]),
                        faceColors: marker.isFilled ? [color] : [], edgeColors: [color], edgeWidth: 1.0 * pt, alpha: alpha)
                }
            case let .markers(color, area, marker, edges, lineWidth, alpha):
                let edgeColors: [Color]
                switch edges {
                case .face: edgeColors = [color]
                case .none: edgeColors = []
                case .color(let edge): edgeColors = [edge]
                }
                try renderer.drawMarkers(
                    marker.path(size: area.squareRoot() * pt),
                    at: _snappedMarkerPoints([Point(left + handleWidth / 2, baseline - handleHeight * 0.6875)]),
                    faceColors: marker.isFilled ? [color] : [], edgeColors: edgeColors, edgeWidth: lineWidth * pt,
                    alpha: alpha)
            case let .patch(color, alpha):
                try renderer.drawPath(
                    Path.rect(x: left, y: baseline - handleHeight, width: handleWidth, height: handleHeight), fill: color,
                    stroke: nil, alpha: alpha)
            }
            let layout = layouts[index]
            let box = layout.bounds(anchorX: origin.x + textX, anchorY: baseline, verticalAlignment: .baseline)
            try renderer.drawText(layout, in: box, color: Color(red: 0, green: 0, blue: 0), rotated: false)
        }
    }

    /// The top-left corner of a `width`×`height` legend at `location` inside `rect` less `pad`; `.best` tries
    /// the other places in order and takes the first that covers the fewest data points and lines.
    func legendOrigin(
        _ location: LegendLocation, width: Double, height: Double, rect: PixelRect, pad: Double, x: _AxisTransform,
        y: _AxisTransform
    ) throws -> Point {
        let inner = PixelRect(x: rect.x + pad, y: rect.y + pad, width: rect.width - 2 * pad, height: rect.height - 2 * pad)
        func place(_ location: LegendLocation) -> Point {
            let left = inner.x
            let right = inner.maxX - width
            let middleX = inner.x + (inner.width - width) / 2
            let topY = inner.y
            let bottomY = inner.maxY - height
            let middleY = inner.y + (inner.height - height) / 2
            switch location {
            case .best, .upperRight: return Point(right, topY)
            case .upperLeft: return Point(left, topY)
            case .lowerLeft: return Point(left, bottomY)
            case .lowerRight: return Point(right, bottomY)
            case .right, .centerRight: return Point(right, middleY)
            case .centerLeft: return Point(left, middleY)
            case .lowerCenter: return Point(middleX, bottomY)
            case .upperCenter: return Point(middleX, topY)
            case .center: return Point(middleX, middleY)
            }
        }
        guard location == .best else { return place(location) }
        // The data as drawn. Data lines stay in data units and are transformed while counting (no copies of
        // long series); lines sorted by x are searched for the few points under each candidate box.
        var series: [(xs: [Double], ys: [Double], sorted: Bool)] = []
        var polylines: [[Point]] = []
        var scatters: [(xs: [Double], ys: [Double])] = []
        var boxes: [PixelRect] = []
        let searchable = x.scale == .linear && x.end > x.start && x.length > 0
        for artist in artists {
            switch artist {
            case .line(let line):
                series.append((line.x, line.y, searchable && line.x.allSatisfy(\.isFinite) && _isNondecreasing(line.x)))
            case .referenceLine(let line):
                if line.horizontal {
                    let py = y.pixel(line.value)
                    polylines.append([Point(rect.x, py), Point(rect.maxX, py)])
                } else {
                    let px = x.pixel(line.value)
                    polylines.append([Point(px, rect.maxY), Point(px, rect.y)])
                }
            case .scatter(let scatter): scatters.append((scatter.x, scatter.y))
            case .fill(let fill):
                for subpath in _polygons(of: _bandPath(fill, x: x, y: y)) { polylines.append(subpath) }
            case .text(let text):
                if let placed = try? placeText(
                    text.text, sizePoints: text.sizePoints, at: Point(x.pixel(text.x), y.pixel(text.y)),
                    horizontal: text.horizontal, vertical: text.vertical)
                {
                    boxes.append(placed.box)
                }
            case .image: break
            }
        }
        func pixel(_ vx: Double, _ vy: Double) -> Point {
            let valid = vx.isFinite && vy.isFinite && (x.scale == .linear || vx > 0) && (y.scale == .linear || vy > 0)
            return valid ? Point(x.pixel(vx), y.pixel(vy)) : Point(.nan, .nan)
        }
        /// The first index whose pixel x is >= `limit` (`xs` sorted, transform increasing).
        func firstIndex(_ xs: [Double], atLeast limit: Double) -> Int {
            var (low, high) = (0, xs.count)
            while low < high {
                let middle = (low + high) / 2
                if x.pixel(xs[middle]) < limit { low = middle + 1 } else { high = middle }
            }
            return low
        }
        var best: (badness: Int, origin: Point)?
        for candidate in LegendLocation.allCases.dropFirst() {
            let origin = place(candidate)
            let box = PixelRect(x: origin.x, y: origin.y, width: width, height: height)
            func strictlyInside(_ p: Point) -> Bool { p.x > box.x && p.x < box.maxX && p.y > box.y && p.y < box.maxY }
            var badness = 0
            for line in series {
                var range = line.xs.indices
                if line.sorted {
                    let low = firstIndex(line.xs, atLeast: box.x)
                    let high = firstIndex(line.xs, atLeast: box.maxX.nextUp)
                    // One more point on each side: the segments entering and leaving the box.
                    range = max(low - 1, 0)..<min(high + 1, line.xs.count)
                }
                var previous: Point?
                var crossed = false
                for index in range {
                    let point = pixel(line.xs[index], line.ys[index])
                    guard point.x.isFinite else {
                        previous = nil
                        continue
                    }
                    if strictlyInside(point) { badness += 1 }
                    if !crossed, let start = previous, _segmentIntersects(start, point, box) { crossed = true }
                    previous = point
                }
                if crossed { badness += 1 }
            }
            for line in polylines {
                for point in line where strictlyInside(point) { badness += 1 }
                if _polylineIntersects(line, box) { badness += 1 }
            }
            for scatter in scatters {
                for index in scatter.xs.indices where strictlyInside(pixel(scatter.xs[index], scatter.ys[index])) {
                    badness += 1
                }
            }
            for other in boxes where other.x < box.maxX && box.x < other.maxX && other.y < box.maxY && box.y < other.maxY {
                badness += 1
            }
            if badness < (best?.badness ?? Int.max) { best = (badness, origin) }
            if badness == 0 { break }
        }
        return best?.origin ?? place(.upperRight)
    }
}

/// The vertices of each subpath of a path of straight lines.
func _polygons(of path: Path) -> [[Point]] {
    var result: [[Point]] = []
    var current: [Point] = []
    for element in path.elements {
        switch element {
        case .move(let p):
            if !current.isEmpty { result.append(current) }
            current = [p]
        case .line(let p): current.append(p)
        case .close:
            if let first = current.first { current.append(first) }
        default: break
        }
    }
    if !current.isEmpty { result.append(current) }
    return result
}

/// Whether any segment of `line` (NaN points break it) touches `box`.
func _polylineIntersects(_ line: [Point], _ box: PixelRect) -> Bool {
    var previous: Point?
    for point in line {
        guard point.x.isFinite, point.y.isFinite else {
            previous = nil
            continue
        }
        defer { previous = point }
        guard let start = previous else { continue }
        if _segmentIntersects(start, point, box) { return true }
    }
    return false
}

/// Liang–Barsky: whether the segment a–b meets the rectangle.
func _segmentIntersects(_ a: Point, _ b: Point, _ box: PixelRect) -> Bool {
    var t0 = 0.0
    var t1 = 1.0
    let dx = b.x - a.x
    let dy = b.y - a.y
    for (p, q) in [(-dx, a.x - box.x), (dx, box.maxX - a.x), (-dy, a.y - box.y), (dy, box.maxY - a.y)] {
        if p == 0 {
            if q < 0 { return false }
        } else {
            let t = q / p
            if p < 0 {
                if t > t1 { return false }
                t0 = max(t0, t)
            } else {
                if t < t0 { return false }
                t1 = min(t1, t)
            }
        }
    }
    return t0 <= t1
}

/// A rectangle with quadratic-curve corners of `radius` (matplotlib's "round" box style).
func _roundedRect(_ rect: PixelRect, radius: Double) -> Path {
    let r = min(radius, rect.width / 2, rect.height / 2)
    let (x0, y0, x1, y1) = (rect.x, rect.y, rect.maxX, rect.maxY)
    var path = Path()
    path.move(to: Point(x0 + r, y0))
    path.addLine(to: Point(x1 - r, y0))
    path.addQuadCurve(to: Point(x1, y0 + r), control: Point(x1, y0))
    path.addLine(to: Point(x1, y1 - r))
    path.addQuadCurve(to: Point(x1 - r, y1), control: Point(x1, y1))
    path.addLine(to: Point(x0 + r, y1))
    path.addQuadCurve(to: Point(x0, y1 - r), control: Point(x0, y1))
    path.addLine(to: Point(x0, y0 + r))
    path.addQuadCurve(to: Point(x0 + r, y0), control: Point(x0, y0))
    path.closeSubpath()
    return path
}
