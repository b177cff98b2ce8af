import VisCore
import VisDraw

extension Visualizer {
    /// Draws texts (MMEngine's `draw_texts`), each anchored at its position.
    ///
    /// ```swift
    /// try visualizer.drawTexts(
    ///     ["person 0.97"], at: [[33, 120]], colors: "white",
    ///     backgrounds: .all(TextBackground(faceColor: "black", edgeColor: .none, alpha: 0.8, padPoints: 0.7)))
    /// ```
    ///
    /// - Parameters:
    ///   - texts: The strings; one per position. Newlines start new lines.
    ///   - positions: N×2 `(x, y)` anchors, exactly one per text (a 1-D pair for one text).
    ///   - fontSizes: Sizes in points; nil for MMEngine's default `max(floor(sqrt(H·W) / 90), 10)`.
    ///   - colors: Text colours (default `"g"`).
    ///   - verticalAlignments: Where the anchor is on the text box vertically (default `.top`).
    ///   - horizontalAlignments: Where the anchor is horizontally (default `.left`).
    ///   - fonts: Font families (`"sans-serif"`, `"monospace"`, `"DejaVu Serif"`, …) or font files
    ///     (`.file(path)`, e.g. a CJK font); characters a font lacks fall back to fonts that have them.
    ///   - backgrounds: Boxes behind the texts (MMEngine's `bboxes` dicts: face colour, edge colour, alpha, pad in
    ///     points); nil for none.
    /// - Returns: The visualizer, for chaining.
    /// - Throws: ``VisualizerError/invalidArgument(argument:expected:actual:)`` naming `positions` when it is not
    ///   N×2 with one row per text or not finite, or the styling argument at fault (a list shorter than the
    ///   texts, a size that is not a positive number, an invalid colour); `VisDrawError` for a font file
    ///   that is missing or unreadable.
    ///
    /// An anchor outside the image logs "The text is out of bounds, …"; the text is drawn and cut at the image's
    /// edge, as in MMEngine.
    @discardableResult
    public func drawTexts(
        _ texts: [String], at positions: some NDArrayConvertible, fontSizes: PerItem<Double>? = nil,
        colors: PerItem<Color> = "g", verticalAlignments: PerItem<VerticalTextAlignment> = .all(.top),
        horizontalAlignments: PerItem<HorizontalTextAlignment> = .all(.left), fonts: PerItem<FontSpec> = "sans-serif",
        backgrounds: PerItem<TextBackground>? = nil
    ) throws -> Visualizer {
        guard isMainProcess else { return self }
        let count = texts.count
        let expected = "an N×2 array of (x, y) with N = \(count), one row per text"
        let rows = try _CoordinateRows(positions, columns: 2, argument: "positions", expected: expected)
        guard rows.count == count else {
            throw VisualizerError.invalidArgument(
                argument: "positions", expected: expected, actual: "\(rows.count) positions")
        }
        let colors = try _DrawingArguments.colors(colors, count: count, argument: "colors")
        let verticals = try verticalAlignments.values(count: count, argument: "verticalAlignments")
        let horizontals = try horizontalAlignments.values(count: count, argument: "horizontalAlignments")
        let fonts = try fonts.values(count: count, argument: "fonts")
        let boxes: [TextBackground?]
        if let given = backgrounds {
            let values = try given.values(count: count, argument: "backgrounds")
            for (index, background) in values.enumerated() {
                _ = try _visualizerArgument {
                    _ = try background.faceColor.validated(argument: "backgrounds[\(index)].faceColor")
                    _ = try background.edgeColor.validated(argument: "backgrounds[\(index)].edgeColor")
                }
            }
            boxes = values
        } else {
            boxes = [TextBackground?](repeating: nil, count: count)
        }
        let givenSizes = try fontSizes?.values(count: count, argument: "fontSizes")
        if let givenSizes,
            let bad = givenSizes.firstIndex(where: { !($0.isFinite && $0 > 0 && $0 <= Font.maximumSizePoints) })
        {
            throw VisualizerError.invalidArgument(
                argument: "fontSizes[\(bad)]", expected: "a size in points, > 0 and at most \(Font.maximumSizePoints)",
                actual: "\(givenSizes[bad])")
        }
        return try _drawing { canvas, context in
            if (0..<count).contains(where: { !context.contains(x: rows[$0, 0], y: rows[$0, 1]) }) {
                context.warnOutOfBounds("text")
            }
            for index in 0..<count {
                let style = TextStyle(
                    font: fonts[index], sizePoints: givenSizes?[index] ?? context.defaultFontSize, color: colors[index],
                    horizontalAlignment: horizontals[index], verticalAlignment: verticals[index],
                    background: boxes[index])
                try _visualizerArgument {
                    // Laid out here (not by `Canvas.drawText`) to report the characters it cannot draw.
                    let layout = try TextRenderer.shared.layout(texts[index], style: style)
                    for warning in layout.warnings { context.warnOnce(warning) }
                    try TextRenderer.shared.draw(
                        layout, x: rows[index, 0], y: rows[index, 1], verticalAlignment: style.verticalAlignment,
                        color: style.color, background: style.background, on: &canvas)
                }
            }
        }
    }
}
