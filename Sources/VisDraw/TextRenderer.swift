import VisCore

/// How to draw a text: font, size, colour, alignment and an optional background box — the per-text arguments of
/// MMEngine's `draw_texts`.
public struct TextStyle: Sendable, Hashable {
    /// The font request; characters it lacks fall back to other fonts (see ``FontSet``).
    public var font: FontSpec
    /// The size in points at 100 dpi (1 pt = 100/72 px).
    public var sizePoints: Double
    /// The text colour; its alpha is honoured.
    public var color: Color
    /// Where the anchor point sits horizontally on the text's box.
    public var horizontalAlignment: HorizontalTextAlignment
    /// Where the anchor point sits vertically on the text's box.
    public var verticalAlignment: VerticalTextAlignment
    /// A box drawn behind the text, or nil.
    public var background: TextBackground?

    /// Creates a style. The defaults are MMEngine's `draw_texts` defaults except the colour (black here;
    /// MMEngine's is `'g'`) and the size (MMEngine derives it from the image size).
    public init(
        font: FontSpec = .sansSerif, sizePoints: Double = 10,
        color: Color = Color(red: 0, green: 0, blue: 0),
        horizontalAlignment: HorizontalTextAlignment = .left,
        verticalAlignment: VerticalTextAlignment = .top,
        background: TextBackground? = nil
    ) {
        self.font = font
        self.sizePoints = sizePoints
        self.color = color
        self.horizontalAlignment = horizontalAlignment
        self.verticalAlignment = verticalAlignment
        self.background = background
    }
}

/// Lays out and draws text onto images with FreeType glyphs, fontconfig fallback and a shared glyph cache.
///
/// A renderer is safe to use from many threads and tasks at once: fonts, faces and the glyph cache lock
/// internally, and drawing only touches the image passed in.
public final class TextRenderer: Sendable {
    /// The glyph cache this renderer fills and reads.
    public let glyphCache: GlyphCache

    /// The renderer used by default by `Canvas.drawText` and `Image.drawText`, with the shared glyph cache.
    public static let shared = TextRenderer()

    /// Creates a renderer with its own or the shared glyph cache.
    public init(glyphCache: GlyphCache = .shared) {
        self.glyphCache = glyphCache
    }

    /// Lays out `text` with the font, size and horizontal alignment of `style` (nothing is drawn).
    ///
    /// - Throws: the errors of ``Font/init(_:sizePoints:)`` and ``TextLayout/init(_:font:horizontalAlignment:glyphCache:)``.
    public func layout(_ text: String, style: TextStyle) throws -> TextLayout {
        let font = try Font(style.font, sizePoints: style.sizePoints)
        return try TextLayout(
            text, font: font, horizontalAlignment: style.horizontalAlignment, glyphCache: glyphCache)
    }

    /// Draws `text` on `canvas`, anchored at (`x`, `y`) in pixel coordinates ((0, 0) is the top-left corner of
    /// the image, y down).
    ///
    /// The text is not clipped to anything but the image: parts outside it are dropped, as in MMEngine.
    ///
    /// - Returns: The box drawn — the background box (padding included) when there is a background, else the
    ///   text's layout box — or nil for an empty string, which draws nothing.
    /// - Throws: ``VisDrawError/invalidArgument(argument:expected:actual:)`` for a non-finite position, size or
    ///   background value; ``VisDrawError/fontFileNotFound(path:)`` and the other font cases for a missing or unreadable font file.
    @discardableResult
    public func draw(_ text: String, x: Double, y: Double, style: TextStyle, on canvas: inout Canvas) throws
        -> TextBounds?
    {
        try TextRenderer.validatePosition(x: x, y: y)
        try style.background?.validate()
        guard !text.isEmpty else { return nil }
        let layout = try self.layout(text, style: style)
        return try draw(
            layout, x: x, y: y, verticalAlignment: style.verticalAlignment, color: style.color,
            background: style.background, on: &canvas)
    }

    /// Draws an existing layout on `canvas`, anchored at (`x`, `y`); see ``draw(_:x:y:style:on:)``.
    @discardableResult
    public func draw(
        _ layout: TextLayout, x: Double, y: Double, verticalAlignment: VerticalTextAlignment, color: Color,
        background: TextBackground? = nil, on canvas: inout Canvas
    ) throws -> TextBounds? {
        try TextRenderer.validatePosition(x: x, y: y)
        try background?.validate()
        guard !layout.isEmpty else { return nil }
        let box = layout.bounds(anchorX: x, anchorY: y, verticalAlignment: verticalAlignment)
        let drawn = try background?.draw(around: box, fontSizePoints: layout.font.sizePoints, on: &canvas) ?? box
        if !color.isTransparent,
            let mask = try coverage(of: layout, in: box, imageWidth: canvas.width, imageHeight: canvas.height)
        {
            canvas.composite(mask, color: color)
        }
        return drawn
    }

    /// Draws `text` onto `image`; see ``draw(_:x:y:style:on:)``.
    @discardableResult
    public func draw(_ text: String, x: Double, y: Double, style: TextStyle, into image: inout Image) throws
        -> TextBounds?
    {
        // The canvas takes the image's storage for the duration (no copy), and gives it back even on error.
        var canvas = Canvas(image: image)
        image = try Image(width: 0, height: 0, layout: image.layout)
        defer { image = canvas.image }
        return try draw(text, x: x, y: y, style: style, on: &canvas)
    }

    private static func validatePosition(x: Double, y: Double) throws {
        guard x.isFinite, y.isFinite else {
            throw VisDrawError.invalidArgument(
                argument: "position", expected: "finite x and y", actual: "(\(x), \(y))")
        }
    }

    /// The coverage of all the layout's glyphs placed in `box`, clipped to the image; nil when none is on it.
    ///
    /// Glyphs are positioned to a quarter pixel in x and y, like matplotlib's Agg backend (which positions them
    /// to 1/64 px): the hinted outline is shifted by the fraction before it is rendered, so each glyph has at
    /// most 16 renderings in the cache. Overlapping glyphs take the larger coverage.
    func coverage(of layout: TextLayout, in box: TextBounds, imageWidth: Int, imageHeight: Int) throws
        -> CoverageMask?
    {
        let sizeKey = layout.font.sizeKey
        var placements: [(x: Int, y: Int, glyph: _RenderedGlyph)] = []
        placements.reserveCapacity(layout.glyphCount)
        var minX = Int.max
        var minY = Int.max
        var maxX = Int.min
        var maxY = Int.min
        for line in layout.lines {
            // Quarter pixels, rounded to nearest.
            let originX = _quarterPixels(box.x + line.offsetX)
            let baseline = _quarterPixels(box.y + line.baseline)
            for placed in line.glyphs where placed.glyph.width > 0 && placed.glyph.height > 0 {
                let x = originX + (placed.pen + 8) >> 4
                var glyph = placed.glyph
                var column = x >> 2
                var row = baseline >> 2
                if let face = placed.face {
                    let phaseX = x & 3
                    let phaseY = baseline & 3
                    if phaseX != 0 || phaseY != 0 {
                        let key = _GlyphKey(
                            face: face.identifier, sizeKey: sizeKey, glyph: placed.index,
                            phase: UInt8(phaseX + 4 * phaseY))
                        glyph = try glyphCache.glyph(key) {
                            try face.renderGlyph(
                                placed.index, sizeKey: sizeKey, shiftX: phaseX * 16, shiftY: phaseY * 16)
                        }
                    }
                } else {
                    // Tofu is drawn on whole pixels.
                    column = (x + 2) >> 2
                    row = (baseline + 2) >> 2
                }
                let left = column + glyph.left
                let top = row - glyph.top
                placements.append((left, top, glyph))
                minX = min(minX, left)
                minY = min(minY, top)
                maxX = max(maxX, left + glyph.width)
                maxY = max(maxY, top + glyph.height)
            }
        }
        let left = max(minX, 0)
        let top = max(minY, 0)
        let right = min(maxX, imageWidth)
        let bottom = min(maxY, imageHeight)
        guard left < right, top < bottom else { return nil }
        let maskWidth = right - left
        var mask = CoverageMask(originX: left, originY: top, width: maskWidth, height: bottom - top)
        mask.coverage.withUnsafeMutableBufferPointer { destination in
            for (x, y, glyph) in placements {
                let columnStart = max(left - x, 0)
                let columnEnd = min(right - x, glyph.width)
                let rowStart = max(top - y, 0)
                let rowEnd = min(bottom - y, glyph.height)
                guard columnStart < columnEnd, rowStart < rowEnd else { continue }
                glyph.coverage.withUnsafeBufferPointer { source in
                    for row in rowStart..<rowEnd {
                        let sourceRow = row * glyph.width
                        let destinationRow = (y + row - top) * maskWidth + (x - left)
                        for column in columnStart..<columnEnd {
                            let value = source[sourceRow + column]
                            if value > destination[destinationRow + column] {
                                destination[destinationRow + column] = value
                            }
                        }
                    }
                }
            }
        }
        return mask
    }
}

/// `value` in quarter pixels, rounded to nearest, clamped far outside any image so that hostile coordinates
/// cannot overflow integer conversions.
func _quarterPixels(_ value: Double) -> Int {
    Int((min(max(value, -1e12), 1e12) * 4).rounded())
}

extension Canvas {
    /// Draws `text` anchored at (`x`, `y`) with `renderer`; see ``TextRenderer/draw(_:x:y:style:on:)``.
    @discardableResult
    public mutating func drawText(
        _ text: String, x: Double, y: Double, style: TextStyle, renderer: TextRenderer = .shared
    ) throws -> TextBounds? {
        try renderer.draw(text, x: x, y: y, style: style, on: &self)
    }
}

extension Image {
    /// Draws `text` anchored at (`x`, `y`) with `renderer`; see ``TextRenderer/draw(_:x:y:style:on:)``.
    @discardableResult
    public mutating func drawText(
        _ text: String, x: Double, y: Double, style: TextStyle, renderer: TextRenderer = .shared
    ) throws -> TextBounds? {
        try renderer.draw(text, x: x, y: y, style: style, into: &self)
    }
}
