import VisCore
import VisDraw

/// Bounding boxes, polygons and circles: MMEngine's `draw_bboxes`, `draw_polygons`, `draw_circles`.
///
/// Shared rules (MMEngine's, with matplotlib's defaults): widths are in points and clamped to
/// `min(max(w, 1), defaultFontSize / 4)`; `alpha` (default 0.8) replaces the alpha of both the edge and the face
/// colour; faces are `Color.none` (no fill) by default; each item's face is drawn, then its edge, with round joins
/// and butt caps (matplotlib's collection defaults), so a box outline has slightly rounded outer corners.
extension Visualizer {
    /// Draws axis-aligned boxes (MMEngine's `draw_bboxes`).
    ///
    /// ```swift
    /// try visualizer.drawBoundingBoxes([[33, 120, 209, 220]], edgeColors: "r", lineWidths: 3)
    /// ```
    ///
    /// - Parameters:
    ///   - boxes: N×4 `(x1, y1, x2, y2)` with `x1 <= x2` and `y1 <= y2` (degenerate boxes are allowed); a 1-D
    ///     array of 4 is one box; an empty array draws nothing.
    ///   - edgeColors: Outline colours.
    ///   - lineStyles: Outline styles.
    ///   - lineWidths: Outline widths in points (clamped, see above).
    ///   - faceColors: Fill colours; `Color.none` for none.
    ///   - alpha: Opacity of outlines and fills, 0...1.
    /// - Returns: The visualizer, for chaining.
    /// - Throws: ``VisualizerError/invalidArgument(argument:expected:actual:)`` naming `boxes` for a shape other
    ///   than N×4, a non-finite coordinate or `x1 > x2` / `y1 > y2`, or the styling argument at fault;
    ///   ``VisualizerError/noImage(visualizer:)`` before ``setImage(_:)``.
    ///
    /// A box with a corner outside the image (strictly: `x2 == width` is outside) logs MMEngine's warning "The
    /// bbox is out of bounds, …" once, and is clipped. MMEngine also warns a second time from `draw_polygons`.
    @discardableResult
    public func drawBoundingBoxes(
        _ boxes: some NDArrayConvertible, edgeColors: PerItem<Color> = "g",
        lineStyles: PerItem<LineStyle> = .all(.solid),
        lineWidths: PerItem<Double> = 2, faceColors: PerItem<Color> = .all(.none), alpha: Double = 0.8
    ) throws -> Visualizer {
        guard isMainProcess else { return self }
        let rows = try _CoordinateRows(
            boxes, columns: 4, argument: "boxes", expected: "an N×4 array of (x1, y1, x2, y2)")
        for index in 0..<rows.count where rows[index, 0] > rows[index, 2] || rows[index, 1] > rows[index, 3] {
            throw VisualizerError.invalidArgument(
                argument: "boxes[\(index)]", expected: "x1 <= x2 and y1 <= y2",
                actual: "(\(rows[index, 0]), \(rows[index, 1]), \(rows[index, 2]), \(rows[index, 3]))")
        }
        let polygons = (0..<rows.count).map { index in
            let (x1, y1, x2, y2) = (rows[index, 0], rows[index, 1], rows[index, 2], rows[index, 3])
            return [Point(x1, y1), Point(x2, y1), Point(x2, y2), Point(x1, y2)]
        }
        return try _drawPolygons(
            polygons, kind: "bbox", edgeColors: edgeColors, lineStyles: lineStyles, lineWidths: lineWidths,
            faceColors: faceColors, alpha: alpha)
    }

    /// Draws closed polygons (MMEngine's `draw_polygons`).
    ///
    /// - Parameters:
    ///   - polygons: One K×2 array of vertices per polygon: `[[[x, y], ...], ...]`, `[NDArray]`, or a single
    ///     polygon (`NDArray` or `[[x, y], ...]`). Polygons may differ in vertex count.
    ///   - edgeColors: Outline colours, as for
    ///     ``drawBoundingBoxes(_:edgeColors:lineStyles:lineWidths:faceColors:alpha:)``.
    ///   - lineStyles: Outline styles, as for boxes.
    ///   - lineWidths: Outline widths in points, clamped as for boxes.
    ///   - faceColors: Fill colours, as for boxes (default `Color.none`, no fill).
    ///   - alpha: The opacity of edges and faces, as for boxes (default 0.8).
    /// - Returns: The visualizer, for chaining.
    /// - Throws: ``VisualizerError/invalidArgument(argument:expected:actual:)`` naming `polygons[i]` for a
    ///   polygon that is not K×2 or has a non-finite vertex, or the styling argument at fault.
    ///
    /// A polygon with a vertex outside the image logs "The polygon is out of bounds, …" (once per call; MMEngine
    /// warns per polygon, and Python shows a repeated warning once).
    @discardableResult
    public func drawPolygons(
        _ polygons: some PolygonsConvertible, edgeColors: PerItem<Color> = "g",
        lineStyles: PerItem<LineStyle> = .all(.solid), lineWidths: PerItem<Double> = 2,
        faceColors: PerItem<Color> = .all(.none), alpha: Double = 0.8
    ) throws -> Visualizer {
        guard isMainProcess else { return self }
        let arrays = try polygons.makePolygons(argument: "polygons")
        var vertices: [[Point]] = []
        vertices.reserveCapacity(arrays.count)
        for (index, array) in arrays.enumerated() {
            let rows = try _CoordinateRows(
                array, columns: 2, argument: "polygons[\(index)]", expected: "a K×2 array of (x, y) vertices")
            vertices.append((0..<rows.count).map { rows.point($0) })
        }
        return try _drawPolygons(
            vertices, kind: "polygon", edgeColors: edgeColors, lineStyles: lineStyles, lineWidths: lineWidths,
            faceColors: faceColors, alpha: alpha)
    }

    /// Draws circles (MMEngine's `draw_circles`).
    ///
    /// - Parameters:
    ///   - centers: N×2 `(x, y)`; a 1-D array of 2 is one centre.
    ///   - radii: N radii in pixels, at least 0 (one per centre).
    ///   - edgeColors: Outline colours, as for
    ///     ``drawBoundingBoxes(_:edgeColors:lineStyles:lineWidths:faceColors:alpha:)``.
    ///   - lineStyles: Outline styles, as for boxes.
    ///   - lineWidths: Outline widths in points, clamped as for boxes.
    ///   - faceColors: Fill colours, as for boxes (default `Color.none`, no fill).
    ///   - alpha: The opacity of edges and faces, as for boxes (default 0.8).
    /// - Returns: The visualizer, for chaining.
    /// - Throws: ``VisualizerError/invalidArgument(argument:expected:actual:)`` naming `centers` (shape, or a
    ///   count other than the radii's), `radii` (negative or non-finite), or the styling argument at fault.
    ///
    /// A circle whose box `center ± radius` leaves the image logs "The circle is out of bounds, …".
    @discardableResult
    public func drawCircles(
        centers: some NDArrayConvertible, radii: some NDArrayConvertible, edgeColors: PerItem<Color> = "g",
        lineStyles: PerItem<LineStyle> = .all(.solid), lineWidths: PerItem<Double> = 2,
        faceColors: PerItem<Color> = .all(.none), alpha: Double = 0.8
    ) throws -> Visualizer {
        guard isMainProcess else { return self }
        let radiusArray = try radii.makeNDArray(argument: "radii")
        guard radiusArray.rank <= 1, radiusArray.dtype != .bool else {
            throw VisualizerError.invalidArgument(
                argument: "radii", expected: "N radii (a 1-D array)", actual: "an array of shape \(radiusArray.shape)")
        }
        let radiusValues = radiusArray.toDouble()
        if let bad = radiusValues.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
            throw VisualizerError.invalidArgument(
                argument: "radii[\(bad)]", expected: "a finite radius >= 0", actual: "\(radiusValues[bad])")
        }
        let expected = "an N×2 array of (x, y) with N = \(radiusValues.count), the number of radii"
        let rows = try _CoordinateRows(centers, columns: 2, argument: "centers", expected: expected)
        guard rows.count == radiusValues.count else {
            throw VisualizerError.invalidArgument(
                argument: "centers", expected: expected, actual: "\(rows.count) centres")
        }
        let count = rows.count
        let style = try _ShapeStyle(
            count: count, edgeColors: edgeColors, lineStyles: lineStyles, lineWidths: lineWidths,
            faceColors: faceColors, alpha: alpha)
        return try _drawing { canvas, context in
            var outOfBounds = false
            for index in 0..<count {
                let center = rows.point(index)
                let radius = radiusValues[index]
                outOfBounds =
                    outOfBounds || !context.contains(x: center.x - radius, y: center.y - radius)
                    || !context.contains(x: center.x + radius, y: center.y + radius)
            }
            if outOfBounds { context.warnOutOfBounds("circle") }
            // A circle's path (Béziers through its four axis points) extends 2r each way and is never snapped.
            let shift = count == 1
                ? style.singleItemOffset(
                    extent: (2 * radiusValues[0], 2 * radiusValues[0]), snapped: false, context: context)
                : 0
            for index in 0..<count {
                let center = rows.point(index)
                let path = try Path.circle(
                    center: Point(x: center.x + shift, y: center.y + shift), radius: radiusValues[index])
                try style.draw(path, index: index, on: &canvas, context: context)
            }
        }
    }

    /// Draws closed polygons with one style per polygon; `kind` names them in the out-of-bounds warning.
    func _drawPolygons(
        _ polygons: [[Point]], kind: String, edgeColors: PerItem<Color>, lineStyles: PerItem<LineStyle>,
        lineWidths: PerItem<Double>, faceColors: PerItem<Color>, alpha: Double
    ) throws -> Visualizer {
        let style = try _ShapeStyle(
            count: polygons.count, edgeColors: edgeColors, lineStyles: lineStyles, lineWidths: lineWidths,
            faceColors: faceColors, alpha: alpha)
        return try _drawing { canvas, context in
            if polygons.contains(where: { $0.contains { !context.contains(x: $0.x, y: $0.y) } }) {
                context.warnOutOfBounds(kind)
            }
            var shift = 0.0
            if polygons.count == 1, let only = polygons.first, let minX = only.map(\.x).min(),
                let maxX = only.map(\.x).max(), let minY = only.map(\.y).min(), let maxY = only.map(\.y).max()
            {
                shift = style.singleItemOffset(
                    extent: (maxX - minX, maxY - minY),
                    snapped: _PixelSnapping.snaps(only, width: context.width, height: context.height),
                    context: context)
            }
            for (index, original) in polygons.enumerated() where !original.isEmpty {
                let moved = shift == 0 ? original : original.map { Point(x: $0.x + shift, y: $0.y + shift) }
                let vertices = _PixelSnapping.snapped(
                    moved, widthPixels: context.clampedShapeWidth(points: style.lineWidthsPoints[index]),
                    width: context.width, height: context.height)
                try style.draw(Path.polygon(vertices, closed: true), index: index, on: &canvas, context: context)
            }
        }
    }
}

/// The per-item styling of boxes, polygons and circles, checked once before anything is drawn.
struct _ShapeStyle {
    let edgeColors: [Color]
    let faceColors: [Color]
    let lineStyles: [LineStyle]
    let lineWidthsPoints: [Double]
    let alpha: Double
    /// Whether matplotlib would get one face colour, one edge colour, one width and solid lines from these
    /// arguments, and so draw a collection of one path as a marker.
    let drawnAsMarkerWhenAlone: Bool

    init(
        count: Int, edgeColors: PerItem<Color>, lineStyles: PerItem<LineStyle>, lineWidths: PerItem<Double>,
        faceColors: PerItem<Color>, alpha: Double
    ) throws {
        self.edgeColors = try _DrawingArguments.colors(edgeColors, count: count, argument: "edgeColors")
        self.faceColors = try _DrawingArguments.colors(faceColors, count: count, argument: "faceColors")
        self.lineStyles = try lineStyles.values(count: count, argument: "lineStyles")
        self.lineWidthsPoints = try _DrawingArguments.widths(lineWidths, count: count, argument: "lineWidths")
        self.alpha = try _DrawingArguments.alpha(alpha, argument: "alpha")
        // matplotlib reads a lone "none" as no colours at all, but "none" in a list as one (transparent) colour.
        func colorCount(_ colors: PerItem<Color>) -> Int {
            if case .all(let color) = colors { return color.isTransparent ? 0 : 1 }
            return colors.givenValues.count
        }
        self.drawnAsMarkerWhenAlone =
            colorCount(faceColors) == 1 && colorCount(edgeColors) == 1 && lineWidths.givenValues.count == 1
            && lineStyles.givenValues.allSatisfy { $0 == .solid }
    }

    /// matplotlib's offset for the only item (see ``_PixelSnapping/singleItemOffset``); 0 for other counts.
    func singleItemOffset(
        extent: (width: Double, height: Double), snapped: Bool, context: _DrawingContext
    ) -> Double {
        _PixelSnapping.singleItemOffset(
            count: faceColors.count, drawnAsMarkerWhenAlone: drawnAsMarkerWhenAlone, extent: extent,
            snapped: snapped, width: context.width, height: context.height)
    }

    func draw(_ path: Path, index: Int, on canvas: inout Canvas, context: _DrawingContext) throws {
        let width = context.clampedShapeWidth(points: lineWidthsPoints[index])
        try canvas._drawShape(
            path, face: faceColors[index], edge: edgeColors[index],
            stroke: _DrawingArguments.strokeStyle(widthPixels: width, lineStyle: lineStyles[index]), alpha: alpha)
    }
}
