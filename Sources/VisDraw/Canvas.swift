import VisCore

/// A drawing surface over an `Image`: anti-aliased fills and strokes of ``Path``s, composited source-over.
///
/// Coordinates are float pixels with (0, 0) at the top-left corner of pixel (0, 0), x to the right and y down
/// (see ``Point``). Coverage is exact-area anti-aliasing: a pixel half inside a shape gets half the colour.
///
/// `Canvas` is a value type: copies draw independently, and ``image`` is read (or replaced) as a value. It keeps
/// scratch buffers between draws; a copy that shares them makes its own on its next draw, so canvases can live
/// on different threads (a ``Canvas`` is `Sendable`).
///
/// Geometry: coordinates that are NaN or infinite are rejected with
/// ``VisDrawError/invalidGeometry(argument:reason:)``; finite coordinates, however large (±1e9), are clipped to
/// the image before flattening, dashing and rasterizing, so the work and memory of a draw depend on what is
/// visible, never on the size of the numbers. Empty paths draw nothing.
public struct Canvas: Sendable {
    /// The pixels drawn so far.
    public var image: Image
    private var rasterizer = _Rasterizer()
    /// Whether the fast paths run: analytic axis-aligned rectangles (fills and outlines), ellipses flattened
    /// without building a path. Tests turn it off to compare each with the general route, its naive twin.
    var _fastPaths = true
    /// The bytes that draws read ahead of blending (see ``_CoverageSink/touchRow(y:x:)``); stored only so that
    /// those reads stay in the optimized code.
    private var touchedBytes: UInt8 = 0

    /// A canvas drawing onto `image`.
    public init(image: Image) {
        self.image = image
    }

    /// A canvas over a new image filled with `background`.
    ///
    /// - Throws: `VisCoreError` for negative or oversized dimensions.
    public init(width: Int, height: Int, layout: PixelLayout = .rgb, background: Color = Color(red: 0, green: 0, blue: 0))
        throws
    {
        let fill: [UInt8]
        switch layout {
        case .gray: fill = [background.luma]
        case .rgb: fill = [background.red, background.green, background.blue]
        case .rgba: fill = [background.red, background.green, background.blue, background.alpha]
        }
        self.image = try Image(width: width, height: height, layout: layout, fill: fill)
    }

    /// Columns of the image.
    public var width: Int { image.width }
    /// Rows of the image.
    public var height: Int { image.height }

    /// Fills the inside of `path` (every subpath implicitly closed).
    ///
    /// - Parameters:
    ///   - path: The outline; an empty path draws nothing.
    ///   - color: The fill colour; its alpha multiplies `opacity`.
    ///   - rule: Which self-overlapping regions are inside.
    ///   - opacity: 0 (invisible) to 1.
    /// - Throws: ``VisDrawError/invalidGeometry(argument:reason:)`` for non-finite coordinates,
    ///   ``VisDrawError/invalidArgument(argument:expected:actual:)`` for an opacity outside 0...1.
    public mutating func fill(_ path: Path, color: Color, rule: FillRule = .nonZero, opacity: Double = 1) throws {
        try path.validate(argument: "path")
        let opacity = try Canvas.validatedOpacity(opacity)
        if _fastPaths, let box = path._axisAlignedRectangle {
            _fillBox(box, color: color, opacity: opacity)
            return
        }
        guard let blender = _SpanBlender(color: color, opacity: opacity, layout: image.layout), !image.isEmpty else { return }
        uniqueRasterizer()
        _loadFill(path, into: rasterizer)
        let rasterizer = self.rasterizer
        withImageSink(blender) { sink in rasterizer.render(rule: rule, into: &sink) }
    }

    /// Strokes `path` with `style`.
    ///
    /// Widths under 1 px draw 1 px wide at `lineWidth` times the opacity; dash patterns whose period is under
    /// 1 px (invisible as dashes at that size) draw solid at the pattern's on-fraction of the opacity.
    ///
    /// - Throws: ``VisDrawError/invalidArgument(argument:expected:actual:)`` naming `lineWidth` for a width
    ///   that is zero, negative or not finite (also `miterLimit`, `opacity`);
    ///   ``VisDrawError/invalidGeometry(argument:reason:)`` for non-finite coordinates.
    public mutating func stroke(_ path: Path, style: StrokeStyle, color: Color, opacity: Double = 1) throws {
        try path.validate(argument: "path")
        try style.validate()
        let opacity = try Canvas.validatedOpacity(opacity)
        if _fastPaths, path._isClosed, let box = path._axisAlignedRectangle,
            _strokeBox(box, style: style, color: color, opacity: opacity)
        {
            return
        }
        let (effective, scale) = style._effective
        guard let blender = _SpanBlender(color: color, opacity: opacity * scale, layout: image.layout), !image.isEmpty
        else { return }
        uniqueRasterizer()
        _loadStroke(path, style: effective, into: rasterizer)
        let rasterizer = self.rasterizer
        withImageSink(blender) { sink in rasterizer.render(rule: .nonZero, into: &sink) }
    }

    /// Fills an axis-aligned box (validated, finite) analytically.
    mutating func _fillBox(_ box: _Box, color: Color, opacity: Double) {
        guard let blender = _SpanBlender(color: color, opacity: opacity, layout: image.layout), !image.isEmpty else { return }
        let (width, height) = (self.width, self.height)
        withImageSink(blender) { sink in _rectangleCoverage(outer: box, inner: nil, width: width, height: height, into: &sink) }
    }

    /// Strokes the closed outline of an axis-aligned box (validated, finite; style and opacity validated)
    /// analytically; false when the analytic outline does not apply (dashes, bevel joins, a miter limit under
    /// √2, an empty box).
    mutating func _strokeBox(_ box: _Box, style: StrokeStyle, color: Color, opacity: Double) -> Bool {
        let (effective, scale) = style._effective
        guard effective.dash == nil, box.maxX > box.minX, box.maxY > box.minY,
            let corners = effective._rectangleCorners
        else { return false }
        guard let blender = _SpanBlender(color: color, opacity: opacity * scale, layout: image.layout), !image.isEmpty
        else { return true }
        let half = max(effective.lineWidth, 1) / 2
        let outer = box.expanded(by: half)
        let innerBox = box.expanded(by: -half)
        let inner = innerBox.maxX > innerBox.minX && innerBox.maxY > innerBox.minY ? innerBox : nil
        let (width, height) = (self.width, self.height)
        let cornerRadius = corners == .round ? half : 0
        withImageSink(blender) { sink in
            _rectangleCoverage(
                outer: outer, cornerRadius: cornerRadius, inner: inner, width: width, height: height, into: &sink)
        }
        return true
    }

    /// Fills the ellipse ``Path/ellipse(center:radiusX:radiusY:)`` describes (a circle when `isCircle`, whose
    /// errors name `radius`).
    mutating func _fillEllipse(
        center: Point, radiusX: Double, radiusY: Double, isCircle: Bool, color: Color, opacity: Double
    ) throws {
        // Finite extremes imply a finite centre and finite radii.
        let finite =
            (center.x - radiusX).isFinite && (center.x + radiusX).isFinite && (center.y - radiusY).isFinite
            && (center.y + radiusY).isFinite
        guard _fastPaths, finite, radiusX >= 0, radiusY >= 0 else {
            // The general route raises the errors (naming the radius, or the path's bad point).
            let path =
                isCircle
                ? try Path.circle(center: center, radius: radiusX)
                : try Path.ellipse(center: center, radiusX: radiusX, radiusY: radiusY)
            try fill(path, color: color, opacity: opacity)
            return
        }
        let opacity = try Canvas.validatedOpacity(opacity)
        guard let blender = _SpanBlender(color: color, opacity: opacity, layout: image.layout), !image.isEmpty else { return }
        uniqueRasterizer()
        rasterizer.addEllipse(
            center: center, radiusX: radiusX, radiusY: radiusY, tolerance: Path.defaultTolerance, clip: fillClip)
        let rasterizer = self.rasterizer
        withImageSink(blender) { sink in rasterizer.render(rule: .nonZero, into: &sink) }
    }

    /// Composites a coverage mask (for example a glyph run) with `color`; see `Image.composite(_:color:opacity:)`.
    public mutating func composite(_ mask: CoverageMask, color: Color, opacity: Double = 1) {
        touchedBytes ^= image._composite(mask, color: color, opacity: opacity)
    }

    /// The 8-bit coverage of filling `path`, cropped to the image: what ``fill(_:color:rule:opacity:)`` would
    /// composite. Summing `coverage / 255` gives the drawn area in pixels.
    ///
    /// - Throws: as ``fill(_:color:rule:opacity:)``.
    public func coverageMask(filling path: Path, rule: FillRule = .nonZero) throws -> CoverageMask {
        try path.validate(argument: "path")
        let rasterizer = _Rasterizer()
        rasterizer.reset(clipWidth: width, clipHeight: height)
        _loadFill(path, into: rasterizer)
        return Canvas.mask(from: rasterizer, rule: rule, scale: 1)
    }

    /// The 8-bit coverage of stroking `path` with `style`, cropped to the image (hairline and fine-dash
    /// opacity scaling included).
    ///
    /// - Throws: as ``stroke(_:style:color:opacity:)``.
    public func coverageMask(stroking path: Path, style: StrokeStyle) throws -> CoverageMask {
        try path.validate(argument: "path")
        try style.validate()
        let (effective, scale) = style._effective
        let rasterizer = _Rasterizer()
        rasterizer.reset(clipWidth: width, clipHeight: height)
        _loadStroke(path, style: effective, into: rasterizer)
        return Canvas.mask(from: rasterizer, rule: .nonZero, scale: Float(scale))
    }

    // MARK: - Internals

    static func validatedOpacity(_ opacity: Double) throws -> Double {
        guard opacity >= 0, opacity <= 1 else {
            throw VisDrawError.invalidArgument(argument: "opacity", expected: "a number in 0...1", actual: "\(opacity)")
        }
        return opacity
    }

    private static func mask(from rasterizer: _Rasterizer, rule: FillRule, scale: Float) -> CoverageMask {
        guard let bounds = rasterizer.pixelBounds else {
            return CoverageMask(originX: 0, originY: 0, width: 0, height: 0)
        }
        var sink = _MaskSink(
            mask: CoverageMask(originX: bounds.x, originY: bounds.y, width: bounds.width, height: bounds.height),
            scale: scale)
        rasterizer.render(rule: rule, into: &sink)
        return sink.mask
    }

    private mutating func uniqueRasterizer() {
        if !isKnownUniquelyReferenced(&rasterizer) { rasterizer = _Rasterizer() }
        rasterizer.reset(clipWidth: image.width, clipHeight: image.height)
    }

    private mutating func withImageSink(_ blender: _SpanBlender, _ body: (inout _ImageSink) -> Void) {
        let rowStride = image.rowStride
        let touched = image.pixels.withUnsafeMutableBufferPointer { buffer -> UInt8 in
            guard let base = buffer.baseAddress else { return 0 }
            var sink = _ImageSink(pixels: base, rowStride: rowStride, blender: blender)
            body(&sink)
            return sink.touched
        }
        touchedBytes ^= touched
    }

    /// The clip box for flattening: the image plus a pixel.
    private var fillClip: _Box {
        _Box(minX: 0, minY: 0, maxX: Double(width), maxY: Double(height)).expanded(by: 1)
    }

    func _loadFill(_ path: Path, into rasterizer: _Rasterizer) {
        rasterizer.addPolygons(path.flattened(clip: fillClip))
    }

    func _loadStroke(_ path: Path, style: StrokeStyle, into rasterizer: _Rasterizer) {
        // Everything the stroke can reach from outside this box is invisible.
        let clip = _Box(minX: 0, minY: 0, maxX: Double(width), maxY: Double(height)).expanded(by: style.reach + 2)
        let flat = path.flattened(clip: clip)
        let stroker = _Stroker(style: style)
        var sink = rasterizer
        for subpath in flat.subpaths {
            let points = flat.points[subpath.start..<subpath.end]
            if points.count == 1 {
                if let point = points.first, clip.contains(point) {
                    stroker.stroke(points, closed: subpath.closed, into: &sink)
                }
                continue
            }
            for piece in _clipPolyline(points, closed: subpath.closed, to: clip) {
                if let pattern = style.dash {
                    _dash(piece, pattern: pattern) { dash, direction in
                        if dash.count == 2, dash[dash.startIndex] == dash[dash.startIndex + 1] {
                            stroker.strokeDot(at: dash[dash.startIndex], direction: direction, into: &sink)
                        } else {
                            stroker.stroke(dash, closed: false, into: &sink)
                        }
                    }
                } else {
                    stroker.stroke(piece.points, closed: piece.closed, into: &sink)
                }
            }
        }
    }
}

/// The corners of a stroked axis-aligned rectangle that the analytic outline draws.
enum _RectangleCorners {
    /// Square: the miter join of right angles (within any miter limit of √2 and above).
    case square
    /// Quarter circles of half the line width around each outer corner (round joins).
    case round
}

extension StrokeStyle {
    /// The corners a closed axis-aligned rectangle gets with this style, or nil when the analytic outline does
    /// not apply (bevel joins, or miters clipped by a limit under √2).
    var _rectangleCorners: _RectangleCorners? {
        switch join {
        case .miter: return miterLimit >= 2.0.squareRoot() ? .square : nil
        case .round: return .round
        case .bevel: return nil
        }
    }

    /// The style actually rasterized and the opacity factor that goes with it: hairlines become 1 px at
    /// `lineWidth` strength; dash periods under 1 px become solid at the on-fraction.
    var _effective: (StrokeStyle, Double) {
        var style = self
        var scale = 1.0
        if lineWidth < 1 {
            scale = lineWidth
        }
        if let dash, dash.period < 1 {
            scale *= dash.onFraction
            style.dash = nil
        }
        return (style, scale)
    }
}

extension _Box {
    /// The box of ``Path/rect(x:y:width:height:)`` when all its corners are finite (else the path's validation
    /// has an error to raise).
    init?(rectX x: Double, y: Double, width: Double, height: Double) {
        let (x1, y1) = (x + width, y + height)
        guard x.isFinite, y.isFinite, x1.isFinite, y1.isFinite else { return nil }
        self.init(minX: min(x, x1), minY: min(y, y1), maxX: max(x, x1), maxY: max(y, y1))
    }
}

extension Path {
    /// The rectangle when the path is exactly one axis-aligned rectangle (4 corners, optionally repeating the
    /// first before closing), else nil.
    var _axisAlignedRectangle: _Box? {
        var corners: [Point] = []
        corners.reserveCapacity(5)
        for (index, element) in elements.enumerated() {
            switch element {
            case .move(let point) where index == 0: corners.append(point)
            case .line(let point) where index > 0: corners.append(point)
            case .close where index == elements.count - 1: break
            default: return nil
            }
        }
        if corners.count == 5, corners[4] == corners[0] { corners.removeLast() }
        guard corners.count == 4 else { return nil }
        let (a, b, c, d) = (corners[0], corners[1], corners[2], corners[3])
        let horizontalFirst = a.y == b.y && b.x == c.x && c.y == d.y && d.x == a.x
        let verticalFirst = a.x == b.x && b.y == c.y && c.x == d.x && d.y == a.y
        guard horizontalFirst || verticalFirst else { return nil }
        return _Box(a, b, c, d)
    }

    /// Whether the path ends with `close` (one subpath paths only).
    var _isClosed: Bool { elements.last == .close }
}

