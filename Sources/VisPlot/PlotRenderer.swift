import VisCore
import VisDraw

/// A rectangle in figure pixels: (0, 0) is the top-left corner of the figure, y down.
public struct PixelRect: Sendable, Hashable, CustomStringConvertible {
    /// Left edge.
    public var x: Double
    /// Top edge.
    public var y: Double
    /// Width (>= 0).
    public var width: Double
    /// Height (>= 0).
    public var height: Double

    /// Creates a rectangle from its top-left corner and size.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// Right edge.
    public var maxX: Double { x + width }
    /// Bottom edge.
    public var maxY: Double { y + height }

    /// Whether `point` lies inside (edges included).
    public func contains(_ point: Point) -> Bool { point.x >= x && point.x <= maxX && point.y >= y && point.y <= maxY }

    /// The smallest rectangle holding both.
    public func union(_ other: PixelRect) -> PixelRect {
        let left = min(x, other.x)
        let top = min(y, other.y)
        return PixelRect(x: left, y: top, width: max(maxX, other.maxX) - left, height: max(maxY, other.maxY) - top)
    }

    init(_ bounds: TextBounds) {
        self.init(x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height)
    }

    public var description: String { "(x: \(x), y: \(y), width: \(width), height: \(height))" }
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
