import Foundation
import VisCore
import VisDraw

/// The marker shapes of ``Visualizer/drawPoints(_:colors:marker:sizes:)``: matplotlib's scatter markers.
public enum PointMarker: String, Sendable, Hashable, CaseIterable {
    /// `"o"`: a disc as wide as `sqrt(size)` points.
    case circle = "o"
    /// `"."`: a small disc, half the circle's diameter.
    case point = "."
    /// `"s"`: a square with sides of `sqrt(size)` points.
    case square = "s"
    /// `"^"`: a triangle pointing up, `sqrt(size)` wide and tall.
    case triangleUp = "^"
    /// `"v"`: a triangle pointing down.
    case triangleDown = "v"
    /// `"x"`: a diagonal cross (stroked, not filled).
    case cross = "x"
    /// `"+"`: an upright cross (stroked, not filled).
    case plus = "+"
    /// `"*"`: a five-pointed star.
    case star = "*"
    /// `"D"`: a square turned 45°, its diagonals `sqrt(2 · size)` points.
    case diamond = "D"

    /// Parses matplotlib's marker symbol (`"o"`, `"."`, `"s"`, `"^"`, `"v"`, `"x"`, `"+"`, `"*"`, `"D"`).
    ///
    /// - Throws: ``VisualizerError/invalidArgument(argument:expected:actual:)`` naming `marker` otherwise.
    public init(parsing symbol: String) throws {
        guard let marker = PointMarker(rawValue: symbol) else {
            throw VisualizerError.invalidArgument(
                argument: "marker",
                expected: "one of " + PointMarker.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "),
                actual: "\"\(symbol)\"")
        }
        self = marker
    }

    /// Whether matplotlib fills the marker (the crosses are lines only).
    var isFilled: Bool { self != .cross && self != .plus }

    /// The width of the marker's edge in points. matplotlib's scatter strokes filled markers with the collection
    /// default `patch.linewidth` (1 pt) and line markers (`x`, `+`) with `lines.linewidth` (1.5 pt).
    var edgeWidthPoints: Double { isFilled ? 1 : 1.5 }

    /// The marker's outline centred on `center`, for a marker `side` pixels across (`sqrt(size)` in pixels):
    /// matplotlib's unit marker paths scaled by `side`, their vertices passed through `snap` (matplotlib snaps
    /// rectilinear markers, `s` and `+`, to pixels; see ``_PixelSnapping``).
    func path(center: Point, side: Double, snap: ([Point]) -> [Point]) throws -> Path {
        let half = side / 2
        func placed(_ unit: [(Double, Double)]) -> [Point] {
            snap(unit.map { Point(center.x + $0.0 * side, center.y + $0.1 * side) })
        }
        func polygon(_ unit: [(Double, Double)]) -> Path { Path.polygon(placed(unit)) }
        switch self {
        case .circle:
            return try Path.circle(center: center, radius: half)
        case .point:
            return try Path.circle(center: center, radius: half / 2)
        case .square:
            return polygon([(-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)])
        case .triangleUp:
            return polygon([(0, -0.5), (-0.5, 0.5), (0.5, 0.5)])
        case .triangleDown:
            return polygon([(0, 0.5), (0.5, -0.5), (-0.5, -0.5)])
        case .diamond:
            let reach = 0.5 * 2.0.squareRoot()
            return polygon([(0, -reach), (reach, 0), (0, reach), (-reach, 0)])
        case .star:
            // matplotlib's unit_regular_star(5, 0.381966), y flipped: the top point is up.
            let points = (0..<10).map { index -> (Double, Double) in
                let angle = Double(index) * Double.pi / 5
                let radius = index % 2 == 0 ? 0.5 : 0.5 * 0.381966
                return (radius * sin(angle), -radius * cos(angle))
            }
            return polygon(points)
        case .cross, .plus:
            // Two strokes, each horizontal/vertical (`+`: the path snaps) or diagonal (`x`: it does not).
            let strokes =
                self == .cross
                ? [placed([(-0.5, -0.5), (0.5, 0.5)]), placed([(-0.5, 0.5), (0.5, -0.5)])]
                : [placed([(-0.5, 0), (0.5, 0)]), placed([(0, -0.5), (0, 0.5)])]
            var path = Path()
            for stroke in strokes {
                path.move(to: stroke[0])
                path.addLine(to: stroke[1])
            }
            return path
        }
    }
}

extension Visualizer {
    /// Draws markers at points (MMEngine's `draw_points`, a matplotlib scatter).
    ///
    /// ```swift
    /// try visualizer.drawPoints([[10, 20], [30, 40]], colors: ["r", "b"], marker: .star, sizes: 64)
    /// ```
    ///
    /// - Parameters:
    ///   - positions: N×2 `(x, y)`; a 1-D pair is one point.
    ///   - colors: Marker colours (face and edge, as matplotlib's scatter with its default `edgecolors='face'`).
    ///   - marker: The marker shape (default `.circle`, MMEngine's `marker=None`).
    ///   - sizes: Marker **areas** in pt², as matplotlib's `s` (default 36: a 6 pt disc). Filled markers also get
    ///     a 1 pt edge in their colour, as in matplotlib, so they look 1 pt larger; `x` and `+` are 1.5 pt lines.
    /// - Returns: The visualizer, for chaining.
    /// - Throws: ``VisualizerError/invalidArgument(argument:expected:actual:)`` naming `positions` (not N×2 or
    ///   not finite), `sizes` (negative or non-finite) or `colors`.
    ///
    /// Like MMEngine's, points outside the image are not warned about; they are clipped.
    @discardableResult
    public func drawPoints(
        _ positions: some NDArrayConvertible, colors: PerItem<Color> = "g", marker: PointMarker = .circle,
        sizes: PerItem<Double> = 36
    ) throws -> Visualizer {
        guard isMainProcess else { return self }
        let rows = try _CoordinateRows(positions, columns: 2, argument: "positions", expected: "an N×2 array of (x, y)")
        let count = rows.count
        let (colorsArgument, sizesArgument) = (colors, sizes)
        let colors = try _DrawingArguments.colors(colors, count: count, argument: "colors")
        let sizes = try sizes.values(count: count, argument: "sizes")
        if let bad = sizes.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
            throw VisualizerError.invalidArgument(
                argument: "sizes[\(bad)]", expected: "a finite marker area in pt², at least 0", actual: "\(sizes[bad])")
        }
        let edgePixels = marker.edgeWidthPoints * Visualizer.pixelsPerPoint
        let edge = StrokeStyle(lineWidth: edgePixels)
        // matplotlib draws a scatter with one colour and one size through Agg's draw_markers, which puts each
        // marker on a pixel centre; otherwise markers stay where they are (only rectilinear ones snap).
        let onPixelCentres: Bool
        switch (colorsArgument, sizesArgument) {
        case (.all, .all): onPixelCentres = true
        default: onPixelCentres = false
        }
        return try _drawing { canvas, context in
            for index in 0..<count where !colors[index].isTransparent {
                let side = sizes[index].squareRoot() * Visualizer.pixelsPerPoint
                let path: Path
                if onPixelCentres {
                    let center = _PixelSnapping.markerCenter(
                        rows.point(index), width: context.width, height: context.height)
                    path = try marker.path(center: center, side: side) {
                        _PixelSnapping.snappedMarker($0, center: center, widthPixels: edgePixels)
                    }
                } else {
                    path = try marker.path(center: rows.point(index), side: side) {
                        _PixelSnapping.snapped(
                            $0, widthPixels: edgePixels, width: context.width, height: context.height)
                    }
                }
                if marker.isFilled { try canvas.fill(path, color: colors[index]) }
                try canvas.stroke(path, style: edge, color: colors[index])
            }
        }
    }
}
