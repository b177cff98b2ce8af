import VisCore

/// A box drawn behind a text: MMEngine's `bboxes` argument of `draw_texts` (matplotlib's `Text.set_bbox` with the
/// default `square` box style).
///
/// The box is the text's layout box (see ``TextLayout``) grown by ``padPoints`` on each side, its edges rounded
/// to whole pixels (matplotlib snaps rectilinear patches the same way, which keeps the fill crisp). The face is
/// filled first, then the edge is stroked centred on the box's outline with square (mitred) corners.
public struct TextBackground: Sendable, Hashable {
    /// The fill colour; ``Color/none`` for no fill. Default: matplotlib's patch colour `C0` (31, 119, 180).
    public var faceColor: Color
    /// The outline colour; ``Color/none`` for no outline (MMEngine's `edgecolor='none'`). Default: black, as a
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

    /// - Throws: ``TextError/invalidArgument(argument:expected:actual:)`` for a non-finite or negative pad or line
    ///   width, or an alpha outside 0...1.
    func validate() throws {
        guard padPoints.isFinite, padPoints >= 0 else {
            throw TextError.invalidArgument(
                argument: "bboxes.pad", expected: "a finite padding in points, at least 0",
                actual: "\(padPoints)")
        }
        guard lineWidthPoints.isFinite, lineWidthPoints >= 0 else {
            throw TextError.invalidArgument(
                argument: "bboxes.linewidth", expected: "a finite width in points, at least 0",
                actual: "\(lineWidthPoints)")
        }
        if let alpha, !(alpha >= 0 && alpha <= 1) {
            throw TextError.invalidArgument(
                argument: "bboxes.alpha", expected: "a number in 0...1", actual: "\(alpha)")
        }
    }

    /// Draws the background around `textBox` and returns the box drawn (padding included, edges rounded).
    func draw(around textBox: TextBounds, fontSizePoints: Double, into image: inout Image)
        -> TextBounds
    {
        let padded = textBox.expanded(by: padPixels(fontSizePoints: fontSizePoints))
        let left = _roundedPixel(padded.x)
        let top = _roundedPixel(padded.y)
        let box = TextBounds(
            x: left, y: top, width: max(_roundedPixel(padded.maxX) - left, 0),
            height: max(_roundedPixel(padded.maxY) - top, 0))
        if !faceColor.isTransparent,
            let mask = _rectangleCoverage(
                box, minus: nil, imageWidth: image.width, imageHeight: image.height)
        {
            image.composite(
                mask, color: alpha == nil ? faceColor : faceColor.withAlpha(255), opacity: alpha ?? 1)
        }
        let lineWidth = lineWidthPoints * Font.pixelsPerPoint
        if !edgeColor.isTransparent, lineWidth > 0 {
            let inner = box.expanded(by: -lineWidth / 2)
            if let mask = _rectangleCoverage(
                box.expanded(by: lineWidth / 2), minus: inner.width > 0 && inner.height > 0 ? inner : nil,
                imageWidth: image.width, imageHeight: image.height)
            {
                image.composite(
                    mask, color: alpha == nil ? edgeColor : edgeColor.withAlpha(255), opacity: alpha ?? 1)
            }
        }
        return box
    }
}

/// `value` rounded to the nearest whole pixel (halves up), clamped far outside any image so that hostile
/// coordinates cannot overflow integer conversions.
func _roundedPixel(_ value: Double) -> Double {
    (min(max(value, -1e12), 1e12) + 0.5).rounded(.down)
}

/// An integer pixel coordinate for `value` (rounded down), clamped like ``_roundedPixel(_:)``.
func _pixelFloor(_ value: Double) -> Int {
    Int(min(max(value, -1e12), 1e12).rounded(.down))
}

/// The exact anti-aliased coverage of the axis-aligned rectangle `outer` minus the rectangle `inner` (which must
/// lie inside it), clipped to the image. Coverage is the covered area of each pixel, which for axis-aligned
/// rectangles factors into a column term times a row term. Nil when nothing of it is on the image.
func _rectangleCoverage(
    _ outer: TextBounds, minus inner: TextBounds?, imageWidth: Int, imageHeight: Int
) -> CoverageMask? {
    let left = max(_pixelFloor(outer.x), 0)
    let right = min(_pixelFloor(outer.maxX) + 1, imageWidth)
    let top = max(_pixelFloor(outer.y), 0)
    let bottom = min(_pixelFloor(outer.maxY) + 1, imageHeight)
    guard left < right, top < bottom else { return nil }
    func overlaps(_ start: Double, _ end: Double, from first: Int, count: Int) -> [Double] {
        (0..<count).map { index in
            let pixel = Double(first + index)
            return max(0, min(end, pixel + 1) - max(start, pixel))
        }
    }
    let columns = right - left
    let rows = bottom - top
    let outerX = overlaps(outer.x, outer.maxX, from: left, count: columns)
    let outerY = overlaps(outer.y, outer.maxY, from: top, count: rows)
    let innerX =
        inner.map { overlaps($0.x, $0.maxX, from: left, count: columns) }
        ?? [Double](repeating: 0, count: columns)
    let innerY =
        inner.map { overlaps($0.y, $0.maxY, from: top, count: rows) }
        ?? [Double](repeating: 0, count: rows)
    // Rows fully inside the outer rectangle and clear of the inner one share one template row (the common case
    // for a snapped fill), copied instead of recomputed.
    let template = outerX.map { UInt8(min(max($0 * 255 + 0.5, 0), 255)) }
    var mask = CoverageMask(originX: left, originY: top, width: columns, height: rows)
    mask.coverage.withUnsafeMutableBufferPointer { coverage in
        for row in 0..<rows {
            let start = row * columns
            if outerY[row] == 1 && innerY[row] == 0 {
                for column in 0..<columns { coverage[start + column] = template[column] }
                continue
            }
            for column in 0..<columns {
                let area = outerX[column] * outerY[row] - innerX[column] * innerY[row]
                coverage[start + column] = UInt8(min(max(area * 255 + 0.5, 0), 255))
            }
        }
    }
    return mask
}
