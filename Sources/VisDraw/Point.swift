/// A position in image coordinates: float pixels, (0, 0) is the top-left corner of pixel (0, 0), x grows to the
/// right and y grows downwards. Pixel (i, j) covers the square [i, i+1) × [j, j+1); its centre is (i+0.5, j+0.5).
public struct Point: Sendable, Hashable {
    /// Horizontal position in pixels.
    public var x: Double
    /// Vertical position in pixels (downwards).
    public var y: Double

    /// Creates a point.
    @inlinable
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// Creates a point from its two coordinates.
    @inlinable
    public init(_ x: Double, _ y: Double) {
        self.init(x: x, y: y)
    }

    /// Whether both coordinates are finite (neither NaN nor infinite).
    @inlinable public var isFinite: Bool { x.isFinite && y.isFinite }

    @inlinable static func + (a: Point, b: Point) -> Point { Point(x: a.x + b.x, y: a.y + b.y) }
    @inlinable static func - (a: Point, b: Point) -> Point { Point(x: a.x - b.x, y: a.y - b.y) }
    @inlinable static func * (a: Point, s: Double) -> Point { Point(x: a.x * s, y: a.y * s) }
    @inlinable var length: Double { (x * x + y * y).squareRoot() }
    @inlinable func dot(_ other: Point) -> Double { x * other.x + y * other.y }
    @inlinable func cross(_ other: Point) -> Double { x * other.y - y * other.x }
    @inlinable func lerp(to other: Point, _ t: Double) -> Point {
        Point(x: x + (other.x - x) * t, y: y + (other.y - y) * t)
    }
}

/// An axis-aligned box in float pixels, used internally for clipping.
struct _Box: Sendable, Equatable {
    var minX: Double
    var minY: Double
    var maxX: Double
    var maxY: Double

    func expanded(by margin: Double) -> _Box {
        _Box(minX: minX - margin, minY: minY - margin, maxX: maxX + margin, maxY: maxY + margin)
    }

    func intersects(_ other: _Box) -> Bool {
        minX <= other.maxX && other.minX <= maxX && minY <= other.maxY && other.minY <= maxY
    }

    func contains(_ other: _Box) -> Bool {
        minX <= other.minX && other.maxX <= maxX && minY <= other.minY && other.maxY <= maxY
    }

    func contains(_ point: Point) -> Bool {
        minX <= point.x && point.x <= maxX && minY <= point.y && point.y <= maxY
    }

    var largestSide: Double { max(maxX - minX, maxY - minY) }

    init(_ a: Point, _ b: Point, _ c: Point, _ d: Point) {
        minX = min(min(a.x, b.x), min(c.x, d.x))
        minY = min(min(a.y, b.y), min(c.y, d.y))
        maxX = max(max(a.x, b.x), max(c.x, d.x))
        maxY = max(max(a.y, b.y), max(c.y, d.y))
    }

    init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    mutating func include(_ point: Point) {
        minX = min(minX, point.x)
        minY = min(minY, point.y)
        maxX = max(maxX, point.x)
        maxY = max(maxY, point.y)
    }
}
