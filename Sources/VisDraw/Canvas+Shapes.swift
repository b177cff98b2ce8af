import VisCore

/// Convenience drawing of common shapes; each builds a ``Path`` and fills or strokes it.
extension Canvas {
    /// Fills an axis-aligned rectangle (analytic coverage with fractional edges).
    public mutating func fillRect(x: Double, y: Double, width: Double, height: Double, color: Color, opacity: Double = 1)
        throws
    {
        // The analytic fill without building (and validating) a path; bad input takes the general route, which
        // raises the error.
        if _fastPaths, let box = _Box(rectX: x, y: y, width: width, height: height) {
            _fillBox(box, color: color, opacity: try Canvas.validatedOpacity(opacity))
            return
        }
        try fill(Path.rect(x: x, y: y, width: width, height: height), color: color, opacity: opacity)
    }

    /// Strokes an axis-aligned rectangle's outline centred on its edges. Miter joins give square corners, round
    /// joins quarter circles of radius `lineWidth / 2` outside (both drawn analytically, without the general
    /// stroker).
    public mutating func strokeRect(
        x: Double, y: Double, width: Double, height: Double, style: StrokeStyle, color: Color, opacity: Double = 1
    ) throws {
        if _fastPaths, let box = _Box(rectX: x, y: y, width: width, height: height) {
            try style.validate()
            if _strokeBox(box, style: style, color: color, opacity: try Canvas.validatedOpacity(opacity)) { return }
        }
        try stroke(Path.rect(x: x, y: y, width: width, height: height), style: style, color: color, opacity: opacity)
    }

    /// Fills a circle.
    ///
    /// - Throws: ``VisDrawError/invalidGeometry(argument:reason:)`` naming `radius` when it is negative or not
    ///   finite, `path` when the centre is not finite.
    public mutating func fillCircle(center: Point, radius: Double, color: Color, opacity: Double = 1) throws {
        try _fillEllipse(center: center, radiusX: radius, radiusY: radius, isCircle: true, color: color, opacity: opacity)
    }

    /// Strokes a circle's outline.
    public mutating func strokeCircle(center: Point, radius: Double, style: StrokeStyle, color: Color, opacity: Double = 1)
        throws
    {
        try stroke(Path.circle(center: center, radius: radius), style: style, color: color, opacity: opacity)
    }

    /// Fills an axis-aligned ellipse.
    public mutating func fillEllipse(
        center: Point, radiusX: Double, radiusY: Double, color: Color, opacity: Double = 1
    ) throws {
        try _fillEllipse(
            center: center, radiusX: radiusX, radiusY: radiusY, isCircle: false, color: color, opacity: opacity)
    }

    /// Strokes an axis-aligned ellipse's outline.
    public mutating func strokeEllipse(
        center: Point, radiusX: Double, radiusY: Double, style: StrokeStyle, color: Color, opacity: Double = 1
    ) throws {
        try stroke(
            Path.ellipse(center: center, radiusX: radiusX, radiusY: radiusY), style: style, color: color,
            opacity: opacity)
    }

    /// Fills the polygon through `points`.
    public mutating func fillPolygon(_ points: [Point], color: Color, rule: FillRule = .nonZero, opacity: Double = 1)
        throws
    {
        try fill(Path.polygon(points), color: color, rule: rule, opacity: opacity)
    }

    /// Strokes the polyline through `points`, closed back to the first point when `closed`.
    public mutating func strokePolyline(
        _ points: [Point], closed: Bool, style: StrokeStyle, color: Color, opacity: Double = 1
    ) throws {
        try stroke(Path.polygon(points, closed: closed), style: style, color: color, opacity: opacity)
    }

    /// Strokes one straight line.
    public mutating func drawLine(from start: Point, to end: Point, style: StrokeStyle, color: Color, opacity: Double = 1)
        throws
    {
        try stroke(Path.line(from: start, to: end), style: style, color: color, opacity: opacity)
    }
}
