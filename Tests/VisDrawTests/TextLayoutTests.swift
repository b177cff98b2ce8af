import Testing

@testable import VisDraw

/// Measuring strings and aligning their boxes. Reference numbers are matplotlib 3.11's (Agg renderer, DejaVu
/// Sans, 100 dpi), which MMEngine's `draw_texts` uses.
@Suite("Text layout")
struct TextLayoutTests {
    func layout(_ text: String, size: Double = 10, alignment: HorizontalTextAlignment = .left) throws
        -> TextLayout
    {
        try TextLayout(
            text, font: try Font(.sansSerif, sizePoints: size), horizontalAlignment: alignment)
    }

    @Test("widths and heights match matplotlib's text extents")
    func matchesMatplotlib() throws {
        // matplotlib: fig.text(..., s, fontsize=10).get_window_extent() at dpi 100.
        let cases: [(String, Double, Double)] = [
            ("Hello", 37.0, 14.336588541666657),
            ("person 0.97", 84.0, 13.888888888888886),
            ("AV", 19.109375, 13.888888888888886),
            ("cat", 22.0, 13.888888888888886),
            ("lp", 13.0, 14.336588541666657),
            ("a\nb", 9.0, 33.78645833333334),
        ]
        for (text, width, height) in cases {
            let measured = try layout(text)
            #expect(abs(measured.width - width) < 1e-9, "width of \(text)")
            #expect(abs(measured.height - height) < 1e-6, "height of \(text)")
        }
    }

    @Test("the advance of a string grows linearly with the font size")
    func linearInSize() throws {
        let base = try layout("Hello", size: 10).width
        for size in [20.0, 40.0, 80.0] {
            let width = try layout("Hello", size: size).width
            // Advances are hinted to whole pixels per glyph: at most ±0.5 px each of the 5 glyphs.
            #expect(abs(width - base * size / 10) <= 2.5 + 2.5 * size / 10, "size \(size): \(width)")
        }
        #expect(try layout("Hello", size: 80).width > 7 * base)
    }

    @Test("ascent and descent are positive; the box is ascent plus descent")
    func verticalMetrics() throws {
        let text = try layout("lpg")
        let line = try #require(text.lines.first)
        #expect(line.ascent > 0 && line.descent > 0)
        // matplotlib: "lp" at 10 pt is 14 px of ink with 3 below the baseline.
        #expect(line.inkAscent == 11 && line.inkDescent == 3)
        #expect(abs(text.height - (line.ascent + line.descent)) < 1e-12)
        #expect(line.baseline == line.ascent)
    }

    @Test("lines stack by ascent + descent + line gap; the last line's baseline is known")
    func multiLine() throws {
        let text = try layout("one\nsun\nwave")
        #expect(text.lines.map(\.text) == ["one", "sun", "wave"])
        let font = try Font(.sansSerif, sizePoints: 10)
        let pitch = font.lineAscent + font.lineDescent + font.lineGap
        // No line has ink above the typographic ascender or below the descender, so all lines are one pitch.
        #expect(abs(text.height - 3 * pitch) < 1e-9)
        #expect(abs(text.lines[1].baseline - text.lines[0].baseline - pitch) < 1e-9)
        #expect(text.width == text.lines[2].width)
        let single = try layout("one")
        #expect(single.height < pitch)
        // An empty line still takes a line's height.
        #expect(abs(try layout("a\n\nb").height - 3 * pitch) < 2)
    }

    @Test("kerning: \"AV\" is narrower than \"A\" and \"V\" apart")
    func kerning() throws {
        let pair = try layout("AV").width
        let apart = try layout("A").width + layout("V").width
        #expect(pair < apart)
        // DejaVu Sans kerns A-V by -131/2048 em: -0.888 px at 10 pt (matplotlib: 19.109 px for "AV").
        #expect(abs((apart - pair) - 131.0 / 2048 * 1000 / 72) < 1.0 / 64)
        #expect(try layout("HH").width == 2 * layout("H").width)
    }

    @Test("bounds for every alignment")
    func alignment() throws {
        let text = try layout("Hello\nworld")
        let width = text.width
        let height = text.height
        let lastBaseline = try #require(text.lines.last).baseline
        let x = 100.0
        let y = 50.0
        for vertical in VerticalTextAlignment.allCases {
            let expectedTop: Double
            switch vertical {
            case .top: expectedTop = y
            case .center: expectedTop = y - height / 2
            case .bottom: expectedTop = y - height
            case .baseline: expectedTop = y - lastBaseline
            case .centerBaseline: expectedTop = y - lastBaseline / 2
            }
            for horizontal in HorizontalTextAlignment.allCases {
                let aligned = try layout("Hello\nworld", alignment: horizontal)
                let box = aligned.bounds(anchorX: x, anchorY: y, verticalAlignment: vertical)
                let expectedLeft =
                    horizontal == .left ? x : horizontal == .center ? x - width / 2 : x - width
                #expect(abs(box.x - expectedLeft) < 1e-9, "\(horizontal) \(vertical)")
                #expect(abs(box.y - expectedTop) < 1e-9, "\(horizontal) \(vertical)")
                #expect(box.width == width && box.height == height)
            }
        }
        // Narrower lines sit inside the box by the same alignment.
        let right = try layout("wide line\nab", alignment: .right)
        #expect(right.lines[0].offsetX == 0)
        #expect(abs(right.lines[1].offsetX - (right.width - right.lines[1].width)) < 1e-12)
        let center = try layout("wide line\nab", alignment: .center)
        #expect(abs(center.lines[1].offsetX - (center.width - center.lines[1].width) / 2) < 1e-12)
    }

    @Test("matplotlib's alignment names parse; others are typed errors")
    func parsing() throws {
        #expect(try VerticalTextAlignment(parsing: "center_baseline") == .centerBaseline)
        #expect(try HorizontalTextAlignment(parsing: "right") == .right)
        #expect(throws: VisDrawError.self) { try VerticalTextAlignment(parsing: "middle") }
        #expect(throws: VisDrawError.self) { try HorizontalTextAlignment(parsing: "centre") }
    }

    @Test("the empty string has no width; control characters draw nothing")
    func emptyAndControl() throws {
        let empty = try layout("")
        #expect(empty.isEmpty && empty.width == 0 && empty.glyphCount == 0)
        #expect(try layout("a\u{7}b\u{0}").glyphCount == 2)
        #expect(try layout("a\rb").width == layout("ab").width)
        // A zero-width joiner that no font has is skipped rather than drawn as tofu.
        #expect(try layout("a\u{200D}b").missingGlyphCount == 0)
    }
}
