import Foundation
import Testing
import VisTestSupport
import Visualization

/// Characters a text cannot draw are reported, like matplotlib's "Glyph … missing from font(s) …" warning: once
/// per character and visualizer, with a package that provides a font for the script when one is known. Control
/// characters other than `\n` are reported once too instead of vanishing silently.
@Suite("Text warnings")
struct TextWarningTests {
    /// A plane-16 private-use character: no font the tests meet maps it.
    static let unmapped = Unicode.Scalar(0x10FFFD)!

    @Test("a character no font has is reported once per visualizer, with matplotlib's wording")
    func missingGlyphOnce() throws {
        let fonts = try FontSet.resolve(FontSpec("sans-serif"))
        try #require(fonts.face(for: Self.unmapped) == nil, "a font on this machine maps U+10FFFD")
        let (visualizer, recorder) = try DrawingFixture.visualizer(width: 120, height: 40)
        let text = "a\u{10FFFD}b\u{10FFFD}"
        try visualizer.drawTexts([text, "x\u{10FFFD}"], at: [[2, 2], [2, 20]])
        try visualizer.drawTexts([text], at: [[2, 2]])
        let expected = TextLayout.missingGlyphWarning(Self.unmapped, fontName: fonts.primaryFace.familyName)
        #expect(recorder.messages == [expected])
        #expect(expected.hasPrefix("Glyph 1114109 (\\U0010fffd) missing from font(s) \(fonts.primaryFace.familyName)"))
        // Another visualizer reports it again.
        let (other, otherRecorder) = try DrawingFixture.visualizer(width: 120, height: 40)
        try other.drawTexts([text], at: [[2, 2]])
        #expect(otherRecorder.messages == [expected])
        // The layout lists it once; it is still drawn as a box.
        let layout = try TextRenderer.shared.layout(text, style: TextStyle(sizePoints: 10))
        #expect(layout.missingCharacters == [Self.unmapped])
        #expect(layout.missingGlyphCount == 2)
    }

    @Test("the message names the character and, for scripts that often lack a font, a package")
    func packageHints() {
        let thai = TextLayout.missingGlyphWarning(Unicode.Scalar(0x0E01)!, fontName: "DejaVu Sans")
        #expect(thai.hasPrefix("Glyph 3585 (\\N{THAI CHARACTER KO KAI}) missing from font(s) DejaVu Sans"))
        #expect(thai.contains("fonts-thai-tlwg (Debian/Ubuntu)"))
        let cjk = TextLayout.missingGlyphWarning(Unicode.Scalar(0x732B)!, fontName: "DejaVu Sans")
        #expect(cjk.contains("\\N{CJK UNIFIED IDEOGRAPH-732B}"))
        #expect(cjk.contains("fonts-noto-cjk") && cjk.contains("fonts-wqy-microhei") && cjk.contains("font-noto-sans-cjk"))
        let devanagari = TextLayout.missingGlyphWarning(Unicode.Scalar(0x0915)!, fontName: "DejaVu Sans")
        #expect(devanagari.contains("fonts-noto-core") && devanagari.contains("font-noto-sans-devanagari"))
        let emoji = TextLayout.missingGlyphWarning(Unicode.Scalar(0x1F600)!, fontName: "DejaVu Sans")
        #expect(emoji.contains("fonts-noto-color-emoji"))
        let other = TextLayout.missingGlyphWarning(Self.unmapped, fontName: "DejaVu Sans")
        #expect(!other.contains("Install"), "no package is invented for an unknown script")
    }

    @Test("control characters other than \\n draw nothing and are reported once each")
    func controlCharacters() throws {
        let (visualizer, recorder) = try DrawingFixture.visualizer(width: 120, height: 40)
        try visualizer.drawTexts(["a\tb\u{1B}c\nd\t"], at: [[2, 2]])
        try visualizer.drawTexts(["\t"], at: [[2, 2]])
        #expect(recorder.messages == [
            TextLayout.controlCharacterWarning("\t"), TextLayout.controlCharacterWarning("\u{1B}"),
        ])
        #expect(recorder.messages.first?.hasPrefix("Control character \\x09 (U+0009) in a text draws nothing") == true)
        let layout = try TextRenderer.shared.layout("a\tb\nc", style: TextStyle(sizePoints: 10))
        #expect(layout.droppedControlCharacters == ["\t"])
        #expect(layout.lines.count == 2, "\\n still breaks lines")
        #expect(layout.glyphCount == 3)
    }
}
