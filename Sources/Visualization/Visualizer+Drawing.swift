import VisCore
import VisDraw

/// The rules the drawing methods share (MMEngine's `Visualizer`, spec §1.4): the default font size, widths in
/// points, the line-width clamp for shapes, the strict in-bounds test and its warnings.
///
/// Drawing renders immediately into the visualizer's canvas (there is no display list), so
/// ``drawBinaryMasks(_:colors:alphas:)`` blends over everything drawn before it, as MMEngine's does after it
/// rasterizes its figure. Geometry outside the image is clipped; MMEngine's matplotlib axes would zoom out to show
/// it instead (spec §1.12), which this port deliberately does not do.
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
            return context.warnings
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
