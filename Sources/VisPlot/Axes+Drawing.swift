import Foundation
import VisCore
import VisDraw

/// A text with its layout and final box.
struct _PlacedText {
    var layout: TextLayout
    var box: PixelRect
    var rotated = false
    var color = Color(red: 0, green: 0, blue: 0)
}

/// The axes' furniture, positioned: ticks, their labels, axis labels, offset texts, title.
struct _Decorations {
    var xTicks: [_Tick] = []
    var yTicks: [_Tick] = []
    var xMinor: [_Tick] = []
    var yMinor: [_Tick] = []
    var texts: [_PlacedText] = []
}

/// matplotlib's pixel snapping of rectilinear strokes: whole pixels, plus half a pixel for odd widths.
func _snap(_ value: Double, width: Double) -> Double {
    let half = Int(width.rounded()) % 2 != 0 ? 0.5 : 0
    return (value + 0.5).rounded(.down) + half
}

/// Snapping of a y coordinate (matplotlib's Agg snaps in its y-down device space, like x).
func _snapY(_ value: Double, width: Double, height: Double) -> Double {
    _snap(value, width: width)
}

/// Marker centres on whole pixel corners, as matplotlib's Agg `draw_markers` puts them (used for markers of
/// one colour and size: line markers and uniform scatters).
func _snappedMarkerPoints(_ points: [Point]) -> [Point] {
    points.map { Point(($0.x + 0.5).rounded(.down), ($0.y + 0.5).rounded(.down)) }
}

extension Axes {
    private static let black = Color(red: 0, green: 0, blue: 0)

    /// Places `text` at `anchor` with the given alignment (for `rotated`, as matplotlib's vertical y label:
    /// bottom of the upright text at the anchor, turned a quarter counter-clockwise).
    func placeText(
        _ text: String, sizePoints: Double, at anchor: Point, horizontal: HorizontalTextAlignment,
        vertical: VerticalTextAlignment, rotated: Bool = false, color: Color = Axes.black
    ) throws -> _PlacedText {
        let layout = try geometry.layout(text, sizePoints: sizePoints, font: font, alignment: horizontal)
        if rotated {
            let box = PixelRect(x: anchor.x - layout.height, y: anchor.y - layout.width / 2, width: layout.height, height: layout.width)
            return _PlacedText(layout: layout, box: box, rotated: true, color: color)
        }
        let box = layout.bounds(anchorX: anchor.x, anchorY: anchor.y, verticalAlignment: vertical)
        return _PlacedText(layout: layout, box: box, color: color)
    }

    /// Positions the ticks, tick labels, axis labels, offset texts and title.
    func decorations() throws -> _Decorations {
        var result = _Decorations()
        let rect = pixelRect
        let pt = geometry.scale
        if axisVisible {
            let x = try computedTicks(horizontal: true)
            let y = try computedTicks(horizontal: false)
            result.xTicks = x.ticks
            result.yTicks = y.ticks
            result.xMinor = x.minor
            result.yMinor = y.minor
            // Major labels sit tick length + pad (3.5 + 3.5 pt) away; minor ones 2 + 3.4 pt.
            var xLabelBoxes: [PixelRect] = []
            var yLabelBoxes: [PixelRect] = []
            for (ticks, distance) in [(x.ticks, 7.0 * pt), (x.minor, 5.4 * pt)] {
                for tick in ticks where !tick.label.isEmpty {
                    let placed = try placeText(
                        tick.label, sizePoints: fontSizePoints, at: Point(tick.pixel, rect.maxY + distance),
                        horizontal: .center, vertical: .top)
                    xLabelBoxes.append(placed.box)
                    result.texts.append(placed)
                }
            }
            for (ticks, distance) in [(y.ticks, 7.0 * pt), (y.minor, 5.4 * pt)] {
                for tick in ticks where !tick.label.isEmpty {
                    let placed = try placeText(
                        tick.label, sizePoints: fontSizePoints, at: Point(rect.x - distance, tick.pixel),
                        horizontal: .right, vertical: .centerBaseline)
                    yLabelBoxes.append(placed.box)
                    result.texts.append(placed)
                }
            }
            let xBottom = xLabelBoxes.map(\.maxY).max() ?? rect.maxY
            let yLeft = yLabelBoxes.map(\.x).min() ?? rect.x
            if !x.offsetText.isEmpty {
                result.texts.append(
                    try placeText(
                        x.offsetText, sizePoints: fontSizePoints, at: Point(rect.maxX, xBottom + 3 * pt),
                        horizontal: .right, vertical: .top))
            }
            if !y.offsetText.isEmpty {
                result.texts.append(
                    try placeText(
                        y.offsetText, sizePoints: fontSizePoints, at: Point(rect.x, rect.y - 3 * pt),
                        horizontal: .left, vertical: .baseline))
            }
            if !xAxis.label.isEmpty {
                result.texts.append(
                    try placeText(
                        xAxis.label, sizePoints: fontSizePoints, at: Point(rect.x + rect.width / 2, xBottom + 4 * pt),
                        horizontal: .center, vertical: .top))
            }
            if !yAxis.label.isEmpty {
                result.texts.append(
                    try placeText(
                        yAxis.label, sizePoints: fontSizePoints, at: Point(yLeft - 4 * pt, rect.y + rect.height / 2),
                        horizontal: .center, vertical: .bottom, rotated: true))
            }
        }
        if !title.isEmpty {
            result.texts.append(
                try placeText(
                    title, sizePoints: titleSizePoints, at: Point(rect.x + rect.width / 2, rect.y - 6 * pt),
                    horizontal: .center, vertical: .baseline))
        }
        return result
    }

    /// The box around the axes and all its text (matplotlib's tight bounding box).
    func tightBox() throws -> PixelRect {
        try decorations().texts.reduce(pixelRect) { $0.union($1.box) }
    }

    /// Draws everything of these axes.
    func draw<R: PlotRenderer>(with renderer: inout R) throws {
        viewCache = nil
        viewCache = (viewInterval(horizontal: true), viewInterval(horizontal: false))
        defer { viewCache = nil }
        let rect = pixelRect
        guard rect.width > 0, rect.height > 0 else { return }
        let pt = geometry.scale
        let figureHeight = Double(geometry.pixelHeight)
        let (xt, yt) = try transforms()
        let decorations = try decorations()

        if axisVisible {
            let snapped = PixelRect(
                x: rect.x.rounded(), y: rect.y.rounded(), width: rect.maxX.rounded() - rect.x.rounded(),
                height: rect.maxY.rounded() - rect.y.rounded())
            try renderer.drawPath(
                Path.rect(x: snapped.x, y: snapped.y, width: snapped.width, height: snapped.height), fill: faceColor,
                stroke: nil, alpha: 1)
        }
        let ordered = artists.enumerated().sorted { ($0.element.zOrder, $0.offset) < ($1.element.zOrder, $1.offset) }
        try renderer.beginClip(rect)
        for (_, artist) in ordered where artist.zOrder < 1.5 {
            try drawArtist(artist, with: &renderer, x: xt, y: yt, rect: rect)
        }
        if gridVisible && axisVisible {
            let width = 0.8 * pt
            let grid = PlotStroke(color: Color(red: 0xb0, green: 0xb0, blue: 0xb0), width: width, cap: .square)
            var path = Path()
            for tick in decorations.xTicks {
                let x = _snap(tick.pixel, width: width)
                path.addPath(Path.line(from: Point(x, _snapY(rect.y, width: width, height: figureHeight)), to: Point(x, _snapY(rect.maxY, width: width, height: figureHeight))))
            }
            for tick in decorations.yTicks {
                let y = _snapY(tick.pixel, width: width, height: figureHeight)
                path.addPath(Path.line(from: Point(_snap(rect.x, width: width), y), to: Point(_snap(rect.maxX, width: width), y)))
            }
            try renderer.drawPath(path, fill: nil, stroke: grid, alpha: 1)
        }
        try renderer.endClip()

        if axisVisible {
            try drawTickMarks(decorations, with: &renderer, rect: rect, figureHeight: figureHeight)
        }
        try renderer.beginClip(rect)
        for (_, artist) in ordered where artist.zOrder >= 1.5 && artist.zOrder < 3 {
            try drawArtist(artist, with: &renderer, x: xt, y: yt, rect: rect)
        }
        try renderer.endClip()
        if axisVisible {
            let width = 0.8 * pt
            let spine = PlotStroke(color: Axes.black, width: width, cap: .square, join: .miter)
            let left = _snap(rect.x, width: width)
            let right = _snap(rect.maxX, width: width)
            let top = _snapY(rect.y, width: width, height: figureHeight)
            let bottom = _snapY(rect.maxY, width: width, height: figureHeight)
            var path = Path.line(from: Point(left, bottom), to: Point(left, top))
            path.addPath(Path.line(from: Point(right, bottom), to: Point(right, top)))
            path.addPath(Path.line(from: Point(left, bottom), to: Point(right, bottom)))
            path.addPath(Path.line(from: Point(left, top), to: Point(right, top)))
            try renderer.drawPath(path, fill: nil, stroke: spine, alpha: 1)
        }
        for (_, artist) in ordered where artist.zOrder >= 3 {
            try drawArtist(artist, with: &renderer, x: xt, y: yt, rect: rect)
        }
        for text in decorations.texts {
            try renderer.drawText(text.layout, in: text.box, color: text.color, rotated: text.rotated)
        }
        if let request = legendRequest {
            try drawLegend(request, with: &renderer, x: xt, y: yt, rect: rect)
        }
    }

    private func drawTickMarks<R: PlotRenderer>(
        _ decorations: _Decorations, with renderer: inout R, rect: PixelRect, figureHeight: Double
    ) throws {
        let pt = geometry.scale
        for (length, width, xs, ys) in [
            (3.5 * pt, 0.8 * pt, decorations.xTicks.map(\.pixel), decorations.yTicks.map(\.pixel)),
            (2 * pt, 0.6 * pt, decorations.xMinor.map(\.pixel), decorations.yMinor.map(\.pixel)),
        ] {
            var path = Path()
            let bottom = _snapY(rect.maxY, width: width, height: figureHeight)
            for pixel in xs {
                let x = _snap(pixel, width: width)
                path.addPath(Path.line(from: Point(x, bottom), to: Point(x, _snapY(rect.maxY + length, width: width, height: figureHeight))))
            }
            let left = _snap(rect.x, width: width)
            for pixel in ys {
                let y = _snapY(pixel, width: width, height: figureHeight)
                path.addPath(Path.line(from: Point(left, y), to: Point(_snap(rect.x - length, width: width), y)))
            }
            if !path.isEmpty {
                try renderer.drawPath(path, fill: nil, stroke: PlotStroke(color: Axes.black, width: width), alpha: 1)
            }
        }
    }

    /// The stroke of a line `widthPoints` wide in `style`: square caps when solid, butt when dashed (matplotlib's
    /// `solid_capstyle` and `dash_capstyle`); dash lengths scale with the width.
    func lineStroke(color: Color, widthPoints: Double, style: LineStyle) -> PlotStroke {
        let width = widthPoints * geometry.scale
        let dash = style == .solid ? nil : style.intervalsInLineWidths.map { $0 * width }
        return PlotStroke(color: color, width: width, dash: dash, cap: style == .solid ? .square : .butt, join: .round)
    }

    func drawArtist<R: PlotRenderer>(
        _ artist: _Artist, with renderer: inout R, x: _AxisTransform, y: _AxisTransform, rect: PixelRect
    ) throws {
        let pt = geometry.scale
        switch artist {
        case .line(let line):
            if line.widthPoints > 0 {
                let path = _simplifiedPolyline(line.x, line.y, x: x, y: y)
                try renderer.drawPath(
                    path, fill: nil, stroke: lineStroke(color: line.color, widthPoints: line.widthPoints, style: line.style),
                    alpha: line.alpha)
            }
            if line.marker != .none {
                let points = _snappedMarkerPoints(_pixelPoints(line.x, line.y, x: x, y: y))
                let shape = line.marker.path(size: line.markerSizePoints * pt)
                try renderer.drawMarkers(
                    shape, at: points, faceColors: line.marker.isFilled ? [line.color] : [], edgeColors: [line.color],
                    edgeWidth: 1.0 * pt, alpha: line.alpha)
            }
        case .scatter(let scatter):
            try drawScatter(scatter, with: &renderer, x: x, y: y)
        case .image(let image):
            let left = x.pixel(-0.5)
            let right = x.pixel(Double(image.width) - 0.5)
            let top = y.pixel(-0.5)
            let bottom = y.pixel(Double(image.height) - 0.5)
            var drawn = image
            if right < left { drawn = image.flipped(horizontally: true) }
            if bottom < top { drawn = drawn.flipped(horizontally: false) }
            try renderer.drawImage(
                drawn, in: PixelRect(x: min(left, right), y: min(top, bottom), width: abs(right - left), height: abs(bottom - top)))
        case .referenceLine(let line):
            let stroke = lineStroke(color: line.color, widthPoints: line.widthPoints, style: line.style)
            let height = Double(geometry.pixelHeight)
            let path: Path
            if line.horizontal {
                let py = _snapY(y.pixel(line.value), width: stroke.width, height: height)
                path = Path.line(from: Point(_snap(rect.x, width: stroke.width), py), to: Point(_snap(rect.maxX, width: stroke.width), py))
            } else {
                let px = _snap(x.pixel(line.value), width: stroke.width)
                path = Path.line(
                    from: Point(px, _snapY(rect.maxY, width: stroke.width, height: height)),
                    to: Point(px, _snapY(rect.y, width: stroke.width, height: height)))
            }
            try renderer.drawPath(path, fill: nil, stroke: stroke, alpha: line.alpha)
        case .fill(let fill):
            try renderer.drawPath(_bandPath(fill, x: x, y: y), fill: fill.color, stroke: nil, alpha: fill.alpha)
        case .text(let text):
            let placed = try placeText(
                text.text, sizePoints: text.sizePoints, at: Point(x.pixel(text.x), y.pixel(text.y)),
                horizontal: text.horizontal, vertical: text.vertical, color: text.color)
            try renderer.drawText(placed.layout, in: placed.box, color: placed.color, rotated: false)
        }
    }

    private func drawScatter<R: PlotRenderer>(
        _ scatter: _Scatter, with renderer: inout R, x: _AxisTransform, y: _AxisTransform
    ) throws {
        let pt = geometry.scale
        let edgeWidth = scatter.lineWidthPoints * pt
        // One marker shape per distinct size; nil indices mean every point.
        var groups: [(size: Double, indices: [Int]?)] = []
        if scatter.sizes.count == 1 {
            groups = [(scatter.sizes[0], nil)]
        } else {
            var bySize: [Double: [Int]] = [:]
            for (index, size) in scatter.sizes.enumerated() { bySize[size, default: []].append(index) }
            groups = bySize.keys.sorted().map { ($0, bySize[$0]) }
        }
        for (size, indices) in groups {
            let shape = scatter.marker.path(size: size.squareRoot() * pt)
            var points: [Point]
            var faces = scatter.colors
            if let indices {
                points = indices.map { Point(x.pixel(scatter.x[$0]), y.pixel(scatter.y[$0])) }
                for (slot, index) in indices.enumerated() where !(scatter.x[index].isFinite && scatter.y[index].isFinite) {
                    points[slot] = Point(.nan, .nan)
                }
                if faces.count > 1 { faces = indices.map { scatter.colors[$0] } }
            } else {
                points = _pixelPoints(scatter.x, scatter.y, x: x, y: y)
                if scatter.colors.count == 1 { points = _snappedMarkerPoints(points) }
            }
            let edges: [Color]
            switch scatter.edges {
            case .face: edges = faces
            case .none: edges = []
            case .color(let color): edges = [color]
            }
            try renderer.drawMarkers(
                shape, at: points, faceColors: scatter.marker.isFilled ? faces : [], edgeColors: scatter.marker.isFilled ? edges : (edges.isEmpty ? faces : edges),
                edgeWidth: edgeWidth, alpha: scatter.alpha)
        }
    }
}

/// Pixel positions of data points; points with a non-finite coordinate become NaN (the renderers skip them).
func _pixelPoints(_ xs: [Double], _ ys: [Double], x: _AxisTransform, y: _AxisTransform) -> [Point] {
    var points: [Point] = []
    points.reserveCapacity(xs.count)
    for index in xs.indices {
        let (vx, vy) = (xs[index], ys[index])
        let valid = vx.isFinite && vy.isFinite && (x.scale == .linear || vx > 0) && (y.scale == .linear || vy > 0)
        points.append(valid ? Point(x.pixel(vx), y.pixel(vy)) : Point(.nan, .nan))
    }
    return points
}

/// The closed outline of a band, one subpath per run of finite points.
func _bandPath(_ fill: _Fill, x: _AxisTransform, y: _AxisTransform) -> Path {
    var path = Path()
    var run: [Int] = []
    func flush() {
        defer { run.removeAll(keepingCapacity: true) }
        guard run.count >= 2 else { return }
        var points = run.map { Point(x.pixel(fill.x[$0]), y.pixel(fill.upper[$0])) }
        points += run.reversed().map { Point(x.pixel(fill.x[$0]), y.pixel(fill.lower[$0])) }
        path.addPath(Path.polygon(points, closed: true))
    }
    for index in fill.x.indices {
        if fill.x[index].isFinite && fill.lower[index].isFinite && fill.upper[index].isFinite {
            run.append(index)
        } else {
            flush()
        }
    }
    flush()
    return path
}
