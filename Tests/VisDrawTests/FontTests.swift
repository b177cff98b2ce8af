import Foundation
import Testing
import VisTestSupport

@testable import VisDraw

/// Font lookup through fontconfig, font files, and the errors for bad fonts.
@Suite("Fonts")
struct FontTests {
    static let dejaVuSans = TestFonts.dejaVuSans
    static let microHei = TestFonts.wqyMicroHeiSubset

    @Test("generic families resolve to the DejaVu fonts, as in matplotlib")
    func genericFamilies() throws {
        #expect(try FontSet.resolve(.sansSerif).primaryFace.familyName == "DejaVu Sans")
        #expect(try FontSet.resolve(.serif).primaryFace.familyName == "DejaVu Serif")
        #expect(try FontSet.resolve(.monospace).primaryFace.familyName == "DejaVu Sans Mono")
        #expect(try FontSet.resolve("DejaVu Sans").primaryFace.path.hasSuffix("/DejaVuSans.ttf"))
    }

    @Test("weight and slant select the bold and oblique faces")
    func weightAndSlant() throws {
        let bold = try FontSet.resolve(.family("DejaVu Sans", weight: .bold)).primaryFace
        #expect(bold.familyName == "DejaVu Sans")
        #expect(bold.styleName == "Bold")
        let oblique = try FontSet.resolve(.family("DejaVu Sans", slant: .italic)).primaryFace
        #expect(oblique.styleName == "Oblique")
    }

    @Test("an unknown family gets fontconfig's best match instead of an error")
    func unknownFamily() throws {
        let face = try FontSet.resolve("No Such Family 5b1f").primaryFace
        #expect(face.familyName == "DejaVu Sans")
        let font = try Font("No Such Family 5b1f", sizePoints: 10)
        #expect(try TextLayout("cat", font: font).width > 0)
    }

    @Test("faces of a .ttc collection are chosen by index")
    func collectionFaceIndex() throws {
        let regular = try FontFace.load(path: FontTests.microHei, faceIndex: 0)
        let mono = try FontFace.load(path: FontTests.microHei, faceIndex: 1)
        #expect(regular.familyName == "WenQuanYi Micro Hei")
        #expect(mono.familyName == "WenQuanYi Micro Hei Mono")
        #expect(regular.hasGlyph(for: "猫"))
        #expect(try FontFace.load(path: FontTests.microHei, faceIndex: 0) === regular)
        // The Mono face gives every Latin letter the same advance; the proportional one does not.
        let monoFont = try Font(.file(FontTests.microHei, faceIndex: 1), sizePoints: 12)
        let proportional = try Font(.file(FontTests.microHei, faceIndex: 0), sizePoints: 12)
        #expect(
            try TextLayout("iiii", font: monoFont).width == TextLayout("mmmm", font: monoFont).width)
        #expect(
            try TextLayout("iiii", font: proportional).width
                < TextLayout("mmmm", font: proportional).width)
    }

    @Test("a face index past the collection's faces names the file and the face count")
    func faceIndexOutOfRange() throws {
        #expect(
            throws: VisDrawError.faceIndexOutOfRange(path: FontTests.microHei, faceIndex: 5, faceCount: 2)
        ) {
            try FontFace.load(path: FontTests.microHei, faceIndex: 5)
        }
        #expect(
            throws: VisDrawError.invalidArgument(
                argument: "faceIndex", expected: "a face index of at least 0", actual: "-1")
        ) {
            try FontFace.load(path: FontTests.dejaVuSans, faceIndex: -1)
        }
    }

    @Test("a missing font file is a typed error naming the path")
    func missingFile() throws {
        let path = "/nonexistent/fonts/Missing.ttf"
        #expect(throws: VisDrawError.fontFileNotFound(path: path)) {
            try Font(.file(path), sizePoints: 10)
        }
        #expect(VisDrawError.fontFileNotFound(path: path).description.contains(path))
    }

    @Test("random bytes, a truncated font and a directory are clean typed errors")
    func corruptFiles() throws {
        let directory = try TestSupport.makeTemporaryDirectory("font-tests")
        defer { try? FileManager.default.removeItem(at: directory) }

        var state: UInt32 = 7
        let noise = (0..<4096).map { _ -> UInt8 in
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: state >> 16)
        }
        let noisePath = directory.appendingPathComponent("noise.ttf").path
        try Data(noise).write(to: URL(fileURLWithPath: noisePath))
        let noiseError = try #require(throws: VisDrawError.self) { try FontFace.load(path: noisePath) }
        guard case .invalidFontFile(let path, let faceIndex, let reason) = noiseError else {
            Issue.record("unexpected \(noiseError)")
            return
        }
        #expect(path == noisePath && faceIndex == 0)
        #expect(reason.contains("unknown file format"))
        #expect(noiseError.description.contains(noisePath))

        let original = try Data(contentsOf: URL(fileURLWithPath: FontTests.dejaVuSans))
        let headerOnly = directory.appendingPathComponent("header.ttf").path
        try original.prefix(2000).write(to: URL(fileURLWithPath: headerOnly))
        #expect(throws: VisDrawError.self) { try FontFace.load(path: headerOnly) }

        // Cut in the middle of the glyph data: the face may open, but drawing must fail cleanly, not crash.
        let halfPath = directory.appendingPathComponent("half.ttf").path
        try original.prefix(original.count / 2).write(to: URL(fileURLWithPath: halfPath))
        #expect(throws: VisDrawError.self) {
            let font = try Font(.file(halfPath), sizePoints: 12)
            _ = try TextLayout(
                "The quick brown fox jumps over the lazy dog ÀÉÎÕÜ", font: font,
                glyphCache: GlyphCache(byteBudget: 1 << 20))
        }

        #expect(
            throws: VisDrawError.invalidFontFile(
                path: directory.path, faceIndex: 0, reason: "a directory, not a font file")
        ) {
            try FontFace.load(path: directory.path)
        }
    }

    @Test("sizes must be finite, positive and bounded", arguments: [0.0, -3, .nan, .infinity, 1e6])
    func invalidSizes(size: Double) throws {
        #expect(throws: VisDrawError.self) { try Font(.sansSerif, sizePoints: size) }
    }

    @Test("line metrics come from the OS/2 table (DejaVu Sans: 1556/-492/410 of 2048)")
    func lineMetrics() throws {
        let face = try FontSet.resolve(.sansSerif).primaryFace
        #expect(face.unitsPerEm == 2048)
        #expect(face.lineAscentUnits == 1556)
        #expect(face.lineDescentUnits == 492)
        #expect(face.lineGapUnits == 410)
        let font = try Font(.sansSerif, sizePoints: 10)
        #expect(abs(font.lineAscent - 1556.0 / 2048 * 1000 / 72) < 1e-9)
        #expect(font.lineAscent > 0 && font.lineDescent > 0)
    }
}
