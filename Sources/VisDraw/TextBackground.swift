import VisCore

/// A box drawn behind a text: MMEngine's `bboxes` argument of `draw_texts` (matplotlib's `Text.set_bbox` with the
/// default `square` box style).
///
/// The box is the text's layout box (see ``TextLayout``) grown by ``padPoints`` on each side, its edges rounded
/// to whole pixels (matplotlib snaps rectilinear patches the same way, which keeps the fill crisp). The face is
/// filled first, then the edge is stroked centred on the box's outline with square (mitred) corners.
public struct TextBackground: Sendable, Hashable {
    /// The fill colour; `Color.none` for no fill. Default: matplotlib's patch colour `C0` (31, 119, 180).
    public var faceColor: Color
    /// The outline colour; `Color.none` for no outline (MMEngine's `edgecolor='none'`). Default: black, as a
    /// matplotlib text box has.
    public var edgeColor: Color
    /// When set, replaces the alpha of both colours (matplotlib's artist alpha; `'none'` stays invisible).
    public var alpha: Double?
    /// Padding between the text box and the background's edge, in points. Default 4, matplotlib's.
    public var padPoints: Double
    /// The outline width in points. Default 1 (matplotlib's `patch.linewidth`).
    public var lineWidthPoints: Double

    /// matplotlib's default patch face colour, `C0`.
    public static let defaultFaceColor = Color(red: 31, green: 119, blue: 180)

    /// Creates a background; see the properties for the defaults.
    public init(
        faceColor: Color = TextBackground.defaultFaceColor,
        edgeColor: Color = Color(red: 0, green: 0, blue: 0),
        alpha: Double? = nil, padPoints: Double = 4, lineWidthPoints: Double = 1
    ) {
        self.faceColor = faceColor
        self.edgeColor = edgeColor
        self.alpha = alpha
        self.padPoints = padPoints
        self.lineWidthPoints = lineWidthPoints
    }

    /// The padding in pixels for text of `fontSizePoints`.
    ///
    /// matplotlib turns the pad into a fraction of the font size and formats it with two decimals
    /// (`"square,pad=%0.2f"`) before scaling it back, so the pad is quantised to 1/100 of the font size: 0.7 pt at
    /// 13 pt becomes 0.05 × 13 pt = 0.65 pt. The same rounding is applied here so boxes match MMEngine's.
    public func padPixels(fontSizePoints: Double) -> Double {
        let fraction = (padPoints / fontSizePoints * 100).rounded(.toNearestOrEven) / 100
        return fraction * fontSizePoints * Font.pixelsPerPoint
    }

    /// - Throws: ``VisDrawError/invalidArgument(argument:expected:actual:)`` for a non-finite or negative pad or line
    ///   width, or an alpha outside 0...1.
    func validate() throws {
        guard padPoints.isFinite, padPoints >= 0 else {
            throw VisDrawError.invalidArgument(
                argument: "bboxes.pad", expected: "a finite padding in points, at least 0",
                actual: "\(padPoints)")
        }
        guard lineWidthPoints.isFinite, lineWidthPoints >= 0 else {
            throw VisDrawError.invalidArgument(
                argument: "bboxes.linewidth", expected: "a finite width in points, at least 0",
                actual: "\(lineWidthPoints)")
        }
        if let alpha, !(alpha >= 0 && alpha <= 1) {
            throw VisDrawError.invalidArgument(
                argument: "bboxes.alpha", expected: "a number in 0...1", actual: "\(alpha)")
        }
    }

    /// Draws the background around `textBox` on `canvas` and returns the box drawn (padding included, edges
    /// rounded).
    func draw(around textBox: TextBounds, fontSizePoints: Double, on canvas: inout Canvas) throws -> TextBounds {
        let padded = textBox.expanded(by: padPixels(fontSizePoints: fontSizePoints))
        let left = _roundedPixel(padded.x)
        let top = _roundedPixel(padded.y)
        let box = TextBounds(
            x: left, y: top, width: max(_roundedPixel(padded.maxX) - left, 0),
            height: max(_roundedPixel(padded.maxY) - top, 0))
        if !faceColor.isTransparent {
            try canvas.fillRect(
                x: box.x, y: box.y, width: box.width, height: box.height,
                color: alpha == nil ? faceColor : faceColor.withAlpha(255), opacity: alpha ?? 1)
        }
        let lineWidth = lineWidthPoints * Font.pixelsPerPoint
        if !edgeColor.isTransparent, lineWidth > 0 {
            // matplotlib's text box outline has mitred corners.
            try canvas.strokeRect(
                x: box.x, y: box.y, width: box.width, height: box.height,
                style: StrokeStyle(lineWidth: lineWidth, join: .miter),
                color: alpha == nil ? edgeColor : edgeColor.withAlpha(255), opacity: alpha ?? 1)
        }
        return box
    }
}

/// `value` rounded to the nearest whole pixel (halves up), clamped far outside any image so that hostile
/// coordinates cannot overflow integer conversions.
func _roundedPixel(_ value: Double) -> Double {
    (min(max(value, -1e12), 1e12) + 0.5).rounded(.down)
}
