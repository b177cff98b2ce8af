/// A vector outline made of subpaths of straight lines and quadratic/cubic Bézier curves, in image coordinates
/// (see ``Point``). Build one with ``move(to:)``, ``addLine(to:)``, ``addQuadCurve(to:control:)``,
/// ``addCurve(to:control1:control2:)`` and ``closeSubpath()`` (moveTo / lineTo / quadTo / cubicTo / close), or
/// with the shape builders ``rect(x:y:width:height:)``, ``circle(center:radius:)``,
/// ``ellipse(center:radiusX:radiusY:)``, ``polygon(_:closed:)`` and ``line(from:to:)``.
///
/// A path stores its input as given; coordinates are checked when it is drawn (``Canvas`` rejects NaN and
/// infinite coordinates with ``VisDrawError/invalidGeometry(argument:reason:)`` and clips finite ones, however
/// large, to the image).
public struct Path: Sendable, Equatable {
    /// One drawing command.
    public enum Element: Sendable, Equatable {
        /// Starts a new subpath at the point.
        case move(Point)
        /// A straight line from the current point.
        case line(Point)
        /// A quadratic Bézier curve to `to` with one control point.
        case quadCurve(to: Point, control: Point)
        /// A cubic Bézier curve to `to` with two control points.
        case curve(to: Point, control1: Point, control2: Point)
        /// Closes the current subpath with a straight line back to its first point.
        case close
    }

    /// The commands, in order.
    public private(set) var elements: [Element] = []

    /// Creates an empty path (it draws nothing).
    public init() {}

    /// Whether the path has no drawing commands.
    public var isEmpty: Bool { elements.isEmpty }

    /// Starts a new subpath at `point` (moveTo).
    public mutating func move(to point: Point) {
        elements.append(.move(point))
    }

    /// Adds a straight line from the current point (lineTo). Without a current point the line starts a subpath.
    public mutating func addLine(to point: Point) {
        elements.append(.line(point))
    }

    /// Adds a quadratic Bézier curve (quadTo).
    public mutating func addQuadCurve(to point: Point, control: Point) {
        elements.append(.quadCurve(to: point, control: control))
    }

    /// Adds a cubic Bézier curve (cubicTo).
    public mutating func addCurve(to point: Point, control1: Point, control2: Point) {
        elements.append(.curve(to: point, control1: control1, control2: control2))
    }

    /// Closes the current subpath (close); the next command starts a new subpath at the same first point.
    public mutating func closeSubpath() {
        elements.append(.close)
    }

    /// Appends all subpaths of `other`.
    public mutating func addPath(_ other: Path) {
        elements.append(contentsOf: other.elements)
    }

    /// The control-point bounds, or nil for an empty path. Curves lie inside their control points' hull.
    var controlBounds: _Box? {
        var box: _Box?
        func include(_ point: Point) {
            if box == nil { box = _Box(minX: point.x, minY: point.y, maxX: point.x, maxY: point.y) } else { box?.include(point) }
        }
        for element in elements {
            switch element {
            case .move(let p), .line(let p): include(p)
            case let .quadCurve(to, control): include(to); include(control)
            case let .curve(to, control1, control2): include(to); include(control1); include(control2)
            case .close: break
            }
        }
        return box
    }

    /// Throws unless every coordinate is finite.
    func validate(argument: String) throws {
        for (index, element) in elements.enumerated() {
            let points: [Point]
            switch element {
            case .move(let p), .line(let p): points = [p]
            case let .quadCurve(to, control): points = [to, control]
            case let .curve(to, control1, control2): points = [to, control1, control2]
            case .close: points = []
            }
            if let bad = points.first(where: { !$0.isFinite }) {
                throw VisDrawError.invalidGeometry(
                    argument: argument,
                    reason: "element \(index) has a non-finite coordinate (\(bad.x), \(bad.y)); expected finite numbers")
            }
        }
    }
}

extension Path {
    /// The magic number that makes four cubic Béziers approximate a circle within 0.03 % of the radius.
    static let circleKappa = 0.552_284_749_830_793_4

    /// An axis-aligned rectangle with its top-left corner at (`x`, `y`), drawn clockwise on screen.
    /// A negative width or height extends the rectangle the other way.
    public static func rect(x: Double, y: Double, width: Double, height: Double) -> Path {
        polygon(
            [Point(x, y), Point(x + width, y), Point(x + width, y + height), Point(x, y + height)], closed: true)
    }

    /// A circle; a radius of zero gives an empty path.
    ///
    /// - Throws: ``VisDrawError/invalidGeometry(argument:reason:)`` naming `radius` when it is negative or not
    ///   finite.
    public static func circle(center: Point, radius: Double) throws -> Path {
        try ellipse(center: center, radiusX: radius, radiusY: radius, argument: "radius")
    }

    /// An axis-aligned ellipse; a zero radius gives an empty path.
    ///
    /// - Throws: ``VisDrawError/invalidGeometry(argument:reason:)`` naming `radiusX` or `radiusY` when one is
    ///   negative or not finite.
    public static func ellipse(center: Point, radiusX: Double, radiusY: Double) throws -> Path {
        try ellipse(center: center, radiusX: radiusX, radiusY: radiusY, argument: nil)
    }

    private static func ellipse(center: Point, radiusX: Double, radiusY: Double, argument: String?) throws -> Path {
        for (name, value) in [("radiusX", radiusX), ("radiusY", radiusY)] where !(value.isFinite && value >= 0) {
            throw VisDrawError.invalidGeometry(
                argument: argument ?? name, reason: "expected a finite number >= 0, got \(value)")
        }
        var path = Path()
        guard radiusX > 0, radiusY > 0 else { return path }
        let kx = radiusX * circleKappa
        let ky = radiusY * circleKappa
        let (cx, cy) = (center.x, center.y)
        path.move(to: Point(cx + radiusX, cy))
        path.addCurve(to: Point(cx, cy + radiusY), control1: Point(cx + radiusX, cy + ky), control2: Point(cx + kx, cy + radiusY))
        path.addCurve(to: Point(cx - radiusX, cy), control1: Point(cx - kx, cy + radiusY), control2: Point(cx - radiusX, cy + ky))
        path.addCurve(to: Point(cx, cy - radiusY), control1: Point(cx - radiusX, cy - ky), control2: Point(cx - kx, cy - radiusY))
        path.addCurve(to: Point(cx + radiusX, cy), control1: Point(cx + kx, cy - radiusY), control2: Point(cx + radiusX, cy - ky))
        path.closeSubpath()
        return path
    }

    /// A polyline through `points`, closed back to the first point when `closed`. Fewer than one point gives an
    /// empty path.
    public static func polygon(_ points: [Point], closed: Bool = true) -> Path {
        var path = Path()
        guard let first = points.first else { return path }
        path.elements.reserveCapacity(points.count + 1)
        path.move(to: first)
        for point in points.dropFirst() { path.addLine(to: point) }
        if closed { path.closeSubpath() }
        return path
    }

    /// A straight line segment.
    public static func line(from start: Point, to end: Point) -> Path {
        polygon([start, end], closed: false)
    }
}
