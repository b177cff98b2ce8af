import VisCore
import VisDraw

extension Visualizer {
    /// Draws straight line segments (MMEngine's `draw_lines`): segment i runs from `(xData[i][0], yData[i][0])`
    /// to `(xData[i][1], yData[i][1])`.
    ///
    /// ```swift
    /// try visualizer.drawLines(xData: [[10, 200]], yData: [[20, 20]], colors: "r", lineStyles: .all(.dashed))
    /// ```
    ///
    /// - Parameters:
    ///   - xData: N×2 x coordinates (a 1-D pair is one segment).
    ///   - yData: N×2 y coordinates, the same shape as `xData`.
    ///   - colors: Line colours.
    ///   - lineStyles: Line styles; dashes scale with the width, as in matplotlib.
    ///   - lineWidths: Widths in points, **not** clamped (unlike shapes); 0 draws nothing.
    /// - Returns: The visualizer, for chaining.
    /// - Throws: ``VisualizerError/invalidArgument(argument:expected:actual:)`` naming `xData`/`yData` when
    ///   their shapes differ or are not N×2, or a coordinate is not finite; or the styling argument at fault.
    ///
    /// A segment with an end outside the image logs "The line is out of bounds, …" and is clipped.
    @discardableResult
    public func drawLines(
        xData: some NDArrayConvertible, yData: some NDArrayConvertible, colors: PerItem<Color> = "g",
        lineStyles: PerItem<LineStyle> = .all(.solid), lineWidths: PerItem<Double> = 2
    ) throws -> Visualizer {
        guard isMainProcess else { return self }
        let xArray = try xData.makeNDArray(argument: "xData")
        let yArray = try yData.makeNDArray(argument: "yData")
        // MMEngine compares the shapes before it expands a 1-D pair.
        guard xArray.shape == yArray.shape else {
            throw VisualizerError.invalidArgument(
                argument: "yData", expected: "the shape of xData, \(xArray.shape)",
                actual: "an array of shape \(yArray.shape)")
        }
        let expected = "an N×2 array of segment end coordinates"
        let xs = try _CoordinateRows(xArray, columns: 2, argument: "xData", expected: expected)
        let ys = try _CoordinateRows(yArray, columns: 2, argument: "yData", expected: expected)
        let count = xs.count
        let colors = try _DrawingArguments.colors(colors, count: count, argument: "colors")
        let styles = try lineStyles.values(count: count, argument: "lineStyles")
        let widths = try _DrawingArguments.widths(lineWidths, count: count, argument: "lineWidths")
        return try _drawing { canvas, context in
            let outside = (0..<count).contains { index in
                !context.contains(x: xs[index, 0], y: ys[index, 0])
                    || !context.contains(x: xs[index, 1], y: ys[index, 1])
            }
            if outside { context.warnOutOfBounds("line") }
            for index in 0..<count where !colors[index].isTransparent {
                let width = widths[index] * Visualizer.pixelsPerPoint
                guard let style = _DrawingArguments.strokeStyle(widthPixels: width, lineStyle: styles[index]) else {
                    continue
                }
                let ends = _PixelSnapping.snapped(
                    [Point(xs[index, 0], ys[index, 0]), Point(xs[index, 1], ys[index, 1])], widthPixels: width,
                    width: context.width, height: context.height)
                try canvas.drawLine(from: ends[0], to: ends[1], style: style, color: colors[index])
            }
        }
    }
}
