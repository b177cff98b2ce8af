import VisCore
import VisDraw

/// A rectangle in figure pixels: (0, 0) is the figure's top-left corner, y down. It is VisDraw's
/// ``VisDraw/TextBounds`` (the same geometry serves text boxes and axes boxes).
public typealias PixelRect = TextBounds

extension TextBounds {
    /// Whether `point` lies inside (edges included).
    public func contains(_ point: Point) -> Bool { point.x >= x && point.x <= maxX && point.y >= y && point.y <= maxY }

    /// The smallest rectangle holding both.
    public func union(_ other: TextBounds) -> TextBounds {
        let left = min(x, other.x)
        let top = min(y, other.y)
        return TextBounds(x: left, y: top, width: max(maxX, other.maxX) - left, height: max(maxY, other.maxY) - top)
    }
}

/// How a path is stroked, in pixels.
public struct PlotStroke: Sendable, Hashable {
    /// The colour (its alpha is honoured).
    public var color: Color
    /// The width in pixels.
    public var width: Double
    /// On/off dash lengths in pixels, or nil for solid.
    public var dash: [Double]?
    /// End caps.
    public var cap: LineCap
    /// Corner joins.
    public var join: LineJoin

    /// Creates a stroke.
    public init(color: Color, width: Double, dash: [Double]? = nil, cap: LineCap = .butt, join: LineJoin = .round) {
        self.color = color
        self.width = width
        self.dash = dash
        self.cap = cap
        self.join = join
    }
}

/// What a figure draws with: paths, stamped markers, laid-out text and images, in figure pixels (y down).
///
/// The figure does all the layout (including measuring text with VisDraw's fonts), so every renderer places
/// things identically; ``RasterRenderer`` paints a ``VisDraw/Canvas`` and ``SVGRenderer`` writes SVG elements.
public protocol PlotRenderer {
    /// The output's width in pixels.
    var pixelWidth: Int { get }
    /// The output's height in pixels.
    var pixelHeight: Int { get }
    /// Restricts the following draws to `rect` until ``endClip()``.
    mutating func beginClip(_ rect: PixelRect) throws
    /// Ends the restriction of ``beginClip(_:)``.
    mutating func endClip() throws
    /// Fills and/or strokes `path`; `alpha` multiplies both colours' own alpha.
    mutating func drawPath(_ path: Path, fill: Color?, stroke: PlotStroke?, alpha: Double) throws
    /// Draws the marker outline `marker` (centred on (0, 0)) at each point. `faceColors` and `edgeColors` hold
    /// one colour for all points, one per point, or none (no fill / no edge).
    mutating func drawMarkers(
        _ marker: Path, at points: [Point], faceColors: [Color], edgeColors: [Color], edgeWidth: Double, alpha: Double
    ) throws
    /// Draws a laid-out text in `box` (its final box; for `rotated` text, turned a quarter counter-clockwise).
    mutating func drawText(_ layout: TextLayout, in box: PixelRect, color: Color, rotated: Bool) throws
    /// Draws `image` stretched over `rect`.
    mutating func drawImage(_ image: Image, in rect: PixelRect) throws
}

extension Path {
    /// The path moved by (`dx`, `dy`).
    func _translated(_ dx: Double, _ dy: Double) -> Path {
        guard dx != 0 || dy != 0 else { return self }
        var result = Path()
        let shift = { (p: Point) in Point(p.x + dx, p.y + dy) }
        for element in elements {
            switch element {
            case .move(let p): result.move(to: shift(p))
            case .line(let p): result.addLine(to: shift(p))
            case let .quadCurve(to, control): result.addQuadCurve(to: shift(to), control: shift(control))
            case let .curve(to, c1, c2): result.addCurve(to: shift(to), control1: shift(c1), control2: shift(c2))
            case .close: result.closeSubpath()
            }
        }
        return result
    }
}

extension Color {
    /// The colour with its alpha multiplied by `alpha`.
    func _scaledAlpha(_ alpha: Double) -> Color {
        withAlpha(UInt8((Double(self.alpha) * min(max(alpha, 0), 1)).rounded()))
    }
}

/// `image` resampled to `width`×`height` as both renderers show it: nearest neighbour when enlarging three
/// times or more (crisp pixels, as matplotlib's "auto" interpolation), bilinear otherwise; transparency
/// flattened over white.
func _resampled(_ image: Image, width: Int, height: Int) throws -> Image {
    let enlarging = width >= 3 * image.width && height >= 3 * image.height
    let scaled = try image.resized(width: width, height: height, interpolation: enlarging ? .nearest : .bilinear)
    return scaled.layout == .rgba ? scaled.flattened(over: Color(red: 255, green: 255, blue: 255)) : scaled
}
