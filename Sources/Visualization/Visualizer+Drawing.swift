import VisCore
import VisDraw

/// The rules the drawing methods share (MMEngine's `Visualizer`): the default font size, widths in
/// points, the line-width clamp for shapes, the strict in-bounds test and its warnings.
///
/// Drawing renders immediately into the visualizer's canvas (there is no display list), so
/// ``drawBinaryMasks(_:colors:alphas:)`` blends over everything drawn before it, as MMEngine's does after it
/// rasterizes its figure, and drawings stack in call order. (MMEngine's stack in matplotlib's z-order: lines above
/// shapes and points, texts above everything, and vector drawings made before a mask drawn again above it.)
/// Geometry outside the image is clipped; MMEngine's matplotlib axes would zoom out to show it instead (autoscaling
/// widens the limits to the data plus a 5% margin), which this port deliberately does not do.
///
/// Geometry lands where matplotlib's Agg renderer puts it: rectilinear paths (boxes, axis-aligned polygons and
/// lines, square and plus markers) are snapped to pixels as Agg snaps them, and a scatter with one colour and
/// one size places its markers on pixel centres. The tests compare each method with matplotlib's rendering.
extension Visualizer {
    /// Pixels per point: MMEngine's figure has 100 dpi, so 1 pt = 100/72 px.
    public static let pixelsPerPoint = 100.0 / 72.0

    /// MMEngine's default font size in points for an image of `width`×`height`: `max(floor(sqrt(H·W) / 90), 10)`.
    /// It is the size of texts without `fontSizes`, and `defaultFontSize / 4` caps the widths of shapes.
    public static func defaultFontSize(width: Int, height: Int) -> Double {
        max((Double(width) * Double(height)).squareRoot() / 90, 10).rounded(.down)
    }

    /// The default font size of the current image (see ``defaultFontSize(width:height:)``).
    ///
    /// - Throws: ``VisualizerError/noImage(visualizer:)`` before ``setImage(_:)``.
    public func defaultFontSize() throws -> Double {
        guard let size = withState({ state in state.canvas.map { ($0.width, $0.height) } }) else {
            throw VisualizerError.noImage(visualizer: name)
        }
        return Visualizer.defaultFontSize(width: size.0, height: size.1)
    }

    /// The image as the canvas holds it: gray is replicated to RGB so that colours show; RGB and RGBA stay.
    static func _drawable(_ image: Image) -> Image {
        image.layout == .gray ? image.converted(to: .rgb) : image
    }

    /// Runs `draw` on the canvas under the state lock; emits the warnings it collects after the lock is released
    /// (a warning handler may call back into the visualizer). On a rank other than 0 nothing runs.
    ///
    /// - Throws: ``VisualizerError/noImage(visualizer:)`` before ``setImage(_:)``, and what `draw` throws.
    func _drawing(_ draw: (inout Canvas, inout _DrawingContext) throws -> Void) throws -> Visualizer {
        let warnings: [String] = try withState { state in
            guard state.rank == 0 else { return [] }
            guard var canvas = state.canvas else { throw VisualizerError.noImage(visualizer: name) }
            // Moving the canvas out keeps its image uniquely referenced, so drawing does not copy it.
            state.canvas = nil
            defer { state.canvas = canvas }
            var context = _DrawingContext(width: canvas.width, height: canvas.height)
            try draw(&canvas, &context)
            return context.warnings + context.onceWarnings.filter { state.reportedOnce.insert($0).inserted }
        }
        for warning in warnings { warn(warning) }
        return self
    }
}

/// What a draw call knows about the image and collects while it draws.
struct _DrawingContext {
    let width: Int
    let height: Int
    /// MMEngine's default font size for this image, in points.
    let defaultFontSize: Double
    private(set) var warnings: [String] = []
    /// Warnings the visualizer reports only the first time (see ``warnOnce(_:)``).
    private(set) var onceWarnings: [String] = []

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        self.defaultFontSize = Visualizer.defaultFontSize(width: width, height: height)
    }

    /// MMEngine's in-bounds test: `0 <= x < width` and `0 <= y < height` (the upper bounds are strict).
    func contains(x: Double, y: Double) -> Bool {
        x >= 0 && x < Double(width) && y >= 0 && y < Double(height)
    }

    /// Records MMEngine's out-of-bounds warning for `kind` ("text", "line", "circle", "bbox", "polygon").
    mutating func warnOutOfBounds(_ kind: String) {
        warnings.append("Warning: The \(kind) is out of bounds, the drawn \(kind) may not be in the image")
    }

    /// Records a warning that the visualizer reports once in its lifetime, as Python shows a repeated warning
    /// once (a missing glyph is reported for its first text only).
    mutating func warnOnce(_ message: String) {
        onceWarnings.append(message)
    }

    /// A shape's width in pixels from points, after MMEngine's clamp `min(max(w, 1), defaultFontSize / 4)`
    /// (circles, polygons and boxes; not lines).
    func clampedShapeWidth(points: Double) -> Double {
        min(max(points, 1), defaultFontSize / 4) * Visualizer.pixelsPerPoint
    }
}

/// Argument checks shared by the drawing methods.
enum _DrawingArguments {
    /// The colours of `count` items, each checked (``VisCore/Color/invalidLiteral`` is an error).
    static func colors(_ colors: PerItem<Color>, count: Int, argument: String) throws -> [Color] {
        let values = try colors.values(count: count, argument: argument)
        for (index, color) in values.enumerated() {
            _ = try _visualizerArgument { try color.validated(argument: "\(argument)[\(index)]") }
        }
        return values
    }

    /// Line widths in points for `count` items: finite and at least 0.
    static func widths(_ widths: PerItem<Double>, count: Int, argument: String) throws -> [Double] {
        let values = try widths.values(count: count, argument: argument)
        if let index = values.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
            throw VisualizerError.invalidArgument(
                argument: "\(argument)[\(index)]", expected: "a finite width in points, at least 0",
                actual: "\(values[index])")
        }
        return values
    }

    /// An opacity in 0...1.
    static func alpha(_ alpha: Double, argument: String) throws -> Double {
        guard alpha >= 0, alpha <= 1 else {
            throw VisualizerError.invalidArgument(argument: argument, expected: "a number in 0...1", actual: "\(alpha)")
        }
        return alpha
    }

    /// The stroke style of a line `widthPixels` wide with MMEngine's line style (round joins, butt caps), or nil
    /// when the width is 0 (matplotlib draws nothing then).
    static func strokeStyle(widthPixels: Double, lineStyle: LineStyle) -> StrokeStyle? {
        guard widthPixels > 0 else { return nil }
        return StrokeStyle(lineWidth: widthPixels, lineStyle: lineStyle, join: .round, cap: .butt)
    }
}

extension Canvas {
    /// Fills and then strokes `path` the way a matplotlib collection with an artist alpha draws one item: the
    /// face, then the edge on top, both with their colour's alpha replaced by `alpha`. `Color.none` skips a part.
    mutating func _drawShape(_ path: Path, face: Color, edge: Color, stroke: StrokeStyle?, alpha: Double) throws {
        if !face.isTransparent {
            try fill(path, color: face.withAlpha(255), opacity: alpha)
        }
        if let stroke, !edge.isTransparent {
            try self.stroke(path, style: stroke, color: edge.withAlpha(255), opacity: alpha)
        }
    }
}

/// matplotlib's pixel snapping (Agg's `PathSnapper`), which MMEngine's boxes, polygons and lines go through: a
/// path of fewer than 1024 vertices whose drawn segments are all horizontal or vertical has every vertex moved to
/// `floor(v + 0.5) + s` in Agg's pixel coordinates, where `s` is 0.5 when the stroke width in pixels rounds to an
/// odd number (the stroke then covers whole pixels around pixel centres) and 0 otherwise. The closing segment of
/// a polygon is not checked, as in matplotlib. Fills of the path use the snapped vertices too.
///
/// Agg's pixel coordinates are not quite the data coordinates: MMEngine's figure is `W + 0.01` by `H + 0.01`
/// pixels (its rows are then cut to `H`) and Agg flips y with the integer height, so a data point (x, y) is at
/// `(x · (W + 0.01) / W, y · (H + 0.01) / H − 0.01)`. The difference only shows where a coordinate sits on a
/// rounding boundary (y = 70.5 snaps up in data coordinates but down in Agg's), and is kept so that snapped edges
/// land where MMEngine's do.
enum _PixelSnapping {
    static func snapped(_ points: [Point], widthPixels: Double, width: Int, height: Int) -> [Point] {
        guard isRectilinear(points), width > 0, height > 0 else { return points }
        let offset = snapOffset(widthPixels: widthPixels)
        return points.map { point in
            let agg = aggPoint(point, width: width, height: height)
            return Point(x: (agg.x + 0.5).rounded(.down) + offset, y: (agg.y + 0.5).rounded(.down) + offset)
        }
    }

    /// Whether Agg snaps `points`, that is whether ``snapped(_:widthPixels:width:height:)`` moves them.
    static func snaps(_ points: [Point], width: Int, height: Int) -> Bool {
        width > 0 && height > 0 && isRectilinear(points)
    }

    /// How far right and down matplotlib draws the only item of a collection, in pixels: 0.5 or 0.
    ///
    /// A collection of exactly one path, given exactly one face colour, one edge colour and one width (a colour
    /// `"none"` given alone counts as none; in a list it counts) and only solid lines, whose path extent is smaller
    /// than the figure, is not drawn by Agg's `draw_path_collection` but rendered once as a marker at the origin
    /// (`draw_markers`, matplotlib's single-path optimization). A marker path that is not pixel-snapped is moved by
    /// half a pixel there, so that a marker centred on (0, 0) covers a pixel centre; a snapped (rectilinear) path
    /// is not. So one filled circle or triangle lands half a pixel right and down of where it would as one of
    /// several items, while one box lands where several do.
    static func singleItemOffset(
        count: Int, drawnAsMarkerWhenAlone: Bool, extent: (width: Double, height: Double), snapped: Bool,
        width: Int, height: Int
    ) -> Double {
        guard count == 1, drawnAsMarkerWhenAlone, !snapped, extent.width < Double(width),
            extent.height < Double(height)
        else { return 0 }
        return 0.5
    }

    /// Snapping of a marker drawn by Agg's `draw_markers` (a scatter with one colour and one size): the marker is
    /// placed at the pixel centre nearest its position, and a rectilinear marker's own vertices (`points`, around
    /// `center`) are snapped relative to it.
    static func snappedMarker(_ points: [Point], center: Point, widthPixels: Double) -> [Point] {
        guard isRectilinear(points) else { return points }
        let offset = snapOffset(widthPixels: widthPixels) - 0.5
        return points.map { point in
            Point(
                x: center.x + (point.x - center.x + 0.5).rounded(.down) + offset,
                y: center.y + (point.y - center.y + 0.5).rounded(.down) + offset)
        }
    }

    /// Where Agg's `draw_markers` puts a marker at `point`: the centre of the pixel nearest it.
    static func markerCenter(_ point: Point, width: Int, height: Int) -> Point {
        guard width > 0, height > 0 else { return point }
        let agg = aggPoint(point, width: width, height: height)
        return Point(x: (agg.x + 0.5).rounded(.down) + 0.5, y: (agg.y + 0.5).rounded(.down) + 0.5)
    }

    private static func isRectilinear(_ points: [Point]) -> Bool {
        guard points.count > 1, points.count < 1024 else { return false }
        for index in 1..<points.count {
            let (a, b) = (points[index - 1], points[index])
            guard abs(a.x - b.x) < 1e-4 || abs(a.y - b.y) < 1e-4 else { return false }
        }
        return true
    }

    /// 0.5 when the width in pixels rounds (half away from zero, matplotlib's `mpl_round`) to an odd number.
    private static func snapOffset(widthPixels: Double) -> Double {
        Int(widthPixels.rounded(.toNearestOrAwayFromZero)) % 2 == 1 ? 0.5 : 0
    }

    private static func aggPoint(_ point: Point, width: Int, height: Int) -> Point {
        Point(
            x: point.x * ((Double(width) + 0.01) / Double(width)),
            y: point.y * ((Double(height) + 0.01) / Double(height)) - 0.01)
    }
}
