/// Where the anchor point sits horizontally on the text's box (matplotlib's `horizontalalignment`). Lines of a
/// multi-line text are aligned the same way inside the box (matplotlib's default `multialignment`).
public enum HorizontalTextAlignment: String, Sendable, Hashable, CaseIterable {
    /// The anchor is the box's left edge.
    case left
    /// The anchor is the box's horizontal centre.
    case center
    /// The anchor is the box's right edge.
    case right

    /// Parses matplotlib's names (`"left"`, `"center"`, `"right"`).
    ///
    /// - Throws: ``VisDrawError/invalidArgument(argument:expected:actual:)`` for any other string.
    public init(parsing name: String) throws {
        guard let value = HorizontalTextAlignment(rawValue: name) else {
            throw VisDrawError.invalidArgument(
                argument: "horizontalAlignment", expected: "one of left, center, right",
                actual: "\"\(name)\"")
        }
        self = value
    }
}

/// Where the anchor point sits vertically on the text's box (matplotlib's `verticalalignment`, y down).
///
/// The box is matplotlib's: each line is as tall as the larger of its glyphs' ink and the font's line metrics
/// (OS/2 typographic ascender/descender, see ``TextLayout``), so boxes of different strings at one size line up.
public enum VerticalTextAlignment: String, Sendable, Hashable, CaseIterable {
    /// The anchor is the top of the box.
    case top
    /// The anchor is the vertical centre of the box.
    case center
    /// The anchor is the bottom of the box.
    case bottom
    /// The anchor is on the baseline of the **last** line (the first and only one for single-line text). This is
    /// what matplotlib 3.11 does with its default rotation mode (`ymin + descent` in `Text._get_layout`).
    case baseline
    /// The anchor is halfway between the top of the box and the last line's baseline (matplotlib's
    /// `center_baseline`).
    case centerBaseline = "center_baseline"

    /// Parses matplotlib's names (`"top"`, `"center"`, `"bottom"`, `"baseline"`, `"center_baseline"`).
    ///
    /// - Throws: ``VisDrawError/invalidArgument(argument:expected:actual:)`` for any other string.
    public init(parsing name: String) throws {
        guard let value = VerticalTextAlignment(rawValue: name) else {
            throw VisDrawError.invalidArgument(
                argument: "verticalAlignment",
                expected: "one of top, center, bottom, baseline, center_baseline",
                actual: "\"\(name)\"")
        }
        self = value
    }
}

/// An axis-aligned rectangle in pixel coordinates ((0, 0) is the top-left corner of pixel (0, 0), y down).
public struct TextBounds: Sendable, Hashable, CustomStringConvertible {
    /// Left edge.
    public var x: Double
    /// Top edge.
    public var y: Double
    /// Width, at least 0.
    public var width: Double
    /// Height, at least 0.
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

    /// The rectangle grown by `amount` on every side.
    public func expanded(by amount: Double) -> TextBounds {
        TextBounds(x: x - amount, y: y - amount, width: width + 2 * amount, height: height + 2 * amount)
    }

    public var description: String { "(x: \(x), y: \(y), width: \(width), height: \(height))" }
}

/// A glyph placed on a line: its pen position (1/64 px from the line's origin), its face and index (nil for tofu)
/// and its rendering at phase 0 (used for measuring, and for drawing at whole-pixel positions).
struct _PlacedGlyph: Sendable {
    var pen: Int
    var face: FontFace?
    var index: UInt32
    var glyph: _RenderedGlyph
}

/// A string laid out in a font: lines, their widths and vertical metrics, and the glyphs to draw.
///
/// The layout follows matplotlib 3.11 (`Text._get_layout` with the Agg renderer), which is what MMEngine's
/// `draw_texts` produces:
/// - Lines are split at `\n`. A line's width is its advance width: the sum of the glyphs' (hinted) advances
///   plus the font's kerning between neighbouring glyphs of the same face.
/// - A line's ascent is the larger of its glyphs' ink ascent and the primary font's typographic ascender (OS/2
///   `sTypoAscender`, else `hhea`); likewise its descent. With several lines each ascent and descent also gets
///   half the font's line gap. Lines are stacked without further spacing.
/// - The box is as wide as the widest line and as tall as the stacked lines; narrower lines are placed inside
///   it by the horizontal alignment.
/// Characters are mapped to glyphs one Unicode scalar at a time (no complex-script shaping); control characters
/// draw nothing; default-ignorable characters (joiners, variation selectors) that no font has are skipped.
/// ``missingCharacters`` and ``droppedControlCharacters`` list what was not drawn as asked, and ``warnings``
/// explains it.
public struct TextLayout: Sendable {
    /// One line of a layout.
    public struct Line: Sendable {
        /// The line's text.
        public let text: String
        /// The advance width in pixels, kerning included.
        public let width: Double
        /// Pixels from the top of the line to its baseline.
        public let ascent: Double
        /// Pixels from the baseline to the bottom of the line.
        public let descent: Double
        /// The highest ink above the baseline, in whole pixels (0 for a blank line).
        public let inkAscent: Int
        /// The lowest ink below the baseline, in whole pixels (0 when nothing descends).
        public let inkDescent: Int
        /// Pixels from the top of the box to this line's baseline.
        public let baseline: Double
        /// Pixels from the left of the box to this line's origin (non-zero for centred or right-aligned lines
        /// narrower than the box).
        public let offsetX: Double
        let glyphs: [_PlacedGlyph]
    }

    /// The font the text was laid out in.
    public let font: Font
    /// The horizontal alignment of the lines inside the box, and of the box on the anchor.
    public let horizontalAlignment: HorizontalTextAlignment
    /// The lines, top to bottom (one for text without `\n`; an empty string has one empty line).
    public let lines: [Line]
    /// The box width in pixels: the widest line's advance width.
    public let width: Double
    /// The box height in pixels: every line's ascent plus descent.
    public let height: Double
    /// Whether the text is the empty string (which draws nothing, not even a background).
    public let isEmpty: Bool
    /// The characters no installed font has, each once, in order of appearance: they are drawn as hollow boxes
    /// (tofu). ``warnings`` explains them.
    public let missingCharacters: [Unicode.Scalar]
    /// The control characters other than `\n` in the text, each once, in order of appearance: they draw nothing.
    public let droppedControlCharacters: [Unicode.Scalar]

    /// Lays out `text` in `font`, rendering (or fetching from `glyphCache`) every glyph it needs.
    ///
    /// - Throws: ``VisDrawError/invalidFontFile(path:faceIndex:reason:)`` when a glyph of a font cannot be read.
    public init(
        _ text: String, font: Font, horizontalAlignment: HorizontalTextAlignment = .left,
        glyphCache: GlyphCache = .shared
    ) throws {
        self.font = font
        self.horizontalAlignment = horizontalAlignment
        isEmpty = text.isEmpty
        let sizeKey = font.sizeKey
        let rawLines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        let gap = rawLines.count > 1 ? font.lineGap : 0
        // A line measured before the box width (and so each line's alignment offset) is known.
        struct ShapedLine {
            var text: String
            var width: Double
            var ascent: Double
            var descent: Double
            var inkUp: Int
            var inkDown: Int
            var glyphs: [_PlacedGlyph]
        }
        var shaped: [ShapedLine] = []
        shaped.reserveCapacity(rawLines.count)
        var missing: [Unicode.Scalar] = []
        var controls: [Unicode.Scalar] = []
        for scalars in rawLines {
            var glyphs: [_PlacedGlyph] = []
            glyphs.reserveCapacity(scalars.count)
            var pen = 0
            var previous: _GlyphSource?
            var inkUp = 0
            var inkDown = 0
            for scalar in scalars {
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    if !controls.contains(scalar) { controls.append(scalar) }
                    continue
                }
                let glyph: _RenderedGlyph
                var drawingFace: FontFace?
                var glyphIndex = _tofuGlyphIndex
                if let source = font.fontSet.glyphSource(for: scalar), let face = source.face {
                    if let previous, previous.face === face {
                        let units = face.kerningUnits(left: previous.glyph, right: source.glyph)
                        if units != 0 { pen += Int((Double(units) * font.scale(of: face) * 64).rounded()) }
                    }
                    glyph = try glyphCache.glyph(
                        _GlyphKey(face: face.identifier, sizeKey: sizeKey, glyph: source.glyph)
                    ) {
                        try face.renderGlyph(source.glyph, sizeKey: sizeKey)
                    }
                    previous = source
                    drawingFace = face
                    glyphIndex = source.glyph
                } else {
                    if scalar.properties.isDefaultIgnorableCodePoint { continue }
                    if !missing.contains(scalar) { missing.append(scalar) }
                    glyph = glyphCache.glyph(
                        _GlyphKey(face: font.face.identifier, sizeKey: sizeKey, glyph: _tofuGlyphIndex)
                    ) {
                        _renderTofu(pixelsPerEm: Double(sizeKey) / 64 * Font.pixelsPerPoint)
                    }
                    previous = nil
                }
                if glyph.height > 0 {
                    inkUp = max(inkUp, glyph.top)
                    inkDown = max(inkDown, glyph.height - glyph.top)
                }
                glyphs.append(_PlacedGlyph(pen: pen, face: drawingFace, index: glyphIndex, glyph: glyph))
                pen += glyph.advance
            }
            shaped.append(
                ShapedLine(
                    text: String(String.UnicodeScalarView(scalars)), width: Double(pen) / 64,
                    ascent: max(Double(inkUp), font.lineAscent) + gap / 2,
                    descent: max(Double(inkDown), font.lineDescent) + gap / 2, inkUp: inkUp, inkDown: inkDown,
                    glyphs: glyphs))
        }
        let boxWidth = shaped.map(\.width).max() ?? 0
        var top = 0.0
        var lines: [Line] = []
        lines.reserveCapacity(shaped.count)
        for line in shaped {
            let offset: Double
            switch horizontalAlignment {
            case .left: offset = 0
            case .center: offset = (boxWidth - line.width) / 2
            case .right: offset = boxWidth - line.width
            }
            lines.append(
                Line(
                    text: line.text, width: line.width, ascent: line.ascent, descent: line.descent,
                    inkAscent: line.inkUp, inkDescent: line.inkDown, baseline: top + line.ascent,
                    offsetX: offset,
                    glyphs: line.glyphs))
            top += line.ascent + line.descent
        }
        self.lines = lines
        width = boxWidth
        height = top
        missingCharacters = missing
        droppedControlCharacters = controls
    }

    /// The number of glyphs drawn (tofu included; spaces count, control characters do not).
    public var glyphCount: Int { lines.reduce(0) { $0 + $1.glyphs.count } }

    /// The number of characters drawn as tofu because no installed font has them.
    public var missingGlyphCount: Int {
        lines.reduce(0) { count, line in
            count + line.glyphs.count(where: { $0.glyph.isTofu })
        }
    }

    /// The text box (without any background padding) when the anchor point (`x`, `y`) is aligned with
    /// ``horizontalAlignment`` and `verticalAlignment`.
    public func bounds(anchorX x: Double, anchorY y: Double, verticalAlignment: VerticalTextAlignment)
        -> TextBounds
    {
        let left: Double
        switch horizontalAlignment {
        case .left: left = x
        case .center: left = x - width / 2
        case .right: left = x - width
        }
        let lastBaseline = lines.last?.baseline ?? 0
        let top: Double
        switch verticalAlignment {
        case .top: top = y
        case .center: top = y - height / 2
        case .bottom: top = y - height
        case .baseline: top = y - lastBaseline
        case .centerBaseline: top = y - lastBaseline / 2
        }
        return TextBounds(x: left, y: top, width: width, height: height)
    }
}

/// The glyph index used in cache keys for tofu (real glyph indices are below 65536).
let _tofuGlyphIndex = UInt32.max

/// The placeholder for a character no installed font has: a hollow box about as tall as capitals, with side
/// bearings, so that a missing character is visible instead of silently dropped.
func _renderTofu(pixelsPerEm: Double) -> _RenderedGlyph {
    let width = max(Int((pixelsPerEm * 0.5).rounded()), 3)
    let height = max(Int((pixelsPerEm * 0.72).rounded()), 4)
    let stroke = max(Int((pixelsPerEm / 14).rounded()), 1)
    let bearing = max(Int((pixelsPerEm * 0.08).rounded()), 1)
    var coverage = [UInt8](repeating: 0, count: width * height)
    for row in 0..<height {
        for column in 0..<width
        where row < stroke || row >= height - stroke || column < stroke || column >= width - stroke {
            coverage[row * width + column] = 255
        }
    }
    var glyph = _RenderedGlyph(
        left: bearing, top: height, width: width, height: height, advance: (width + 2 * bearing) * 64,
        coverage: coverage)
    glyph.isTofu = true
    return glyph
}
