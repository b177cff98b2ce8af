import Foundation
import Testing
import VisCore
import VisTestSupport

@testable import VisDraw

/// Small helpers shared by the text test suites.
enum TextTestImages {
    static func white(width: Int = 160, height: Int = 60, layout: PixelLayout = .rgb) throws -> Image {
        try Image(
            width: width, height: height, layout: layout,
            fill: [UInt8](repeating: 255, count: layout.channels))
    }

    /// Pixels whose first channel is darker than 128, in the rectangle [x0, x1) × [y0, y1).
    static func darkPixels(_ image: Image, x0: Int = 0, y0: Int = 0, x1: Int? = nil, y1: Int? = nil)
        -> Int
    {
        var count = 0
        for y in max(y0, 0)..<min(y1 ?? image.height, image.height) {
            for x in max(x0, 0)..<min(x1 ?? image.width, image.width) where image[x, y, 0] < 128 {
                count += 1
            }
        }
        return count
    }
}

/// Drawing text: fallback fonts, tofu, the glyph cache, concurrency, colours, backgrounds and bad input.
@Suite("Text rendering")
struct TextRenderingTests {
    static let microHei = TestFonts.wqyMicroHeiSubset
    let black = Color(red: 0, green: 0, blue: 0)

    @Test("CJK characters fall back from DejaVu Sans to a CJK font and render real glyphs")
    func cjkFallback() throws {
        let set = try FontSet.resolve(.sansSerif)
        #expect(!set.primaryFace.hasGlyph(for: "猫"))
        let face = try #require(set.face(for: "猫"))
        #expect(face.familyName.hasPrefix("WenQuanYi Micro Hei"))
        #expect(set.face(for: "c") === set.primaryFace)

        let font = try Font(.sansSerif, sizePoints: 16)
        let layout = try TextLayout("猫 cat 狗", font: font)
        #expect(layout.missingGlyphCount == 0)
        #expect(layout.glyphCount == 7)

        // The fallback glyph is the CJK font's own: identical pixels to drawing with that font's file directly.
        var viaFallback = try TextTestImages.white()
        var viaFile = try TextTestImages.white()
        let style = TextStyle(
            font: .sansSerif, sizePoints: 16, color: black, verticalAlignment: .baseline)
        var fileStyle = style
        fileStyle.font = .file(face.path, faceIndex: face.faceIndex)
        try viaFallback.drawText("猫", x: 10, y: 40, style: style)
        try viaFile.drawText("猫", x: 10, y: 40, style: fileStyle)
        #expect(viaFallback == viaFile)
        // 猫 is a dense glyph: many dark pixels, and not the hollow tofu box.
        #expect(TextTestImages.darkPixels(viaFallback) > 60)
        var tofu = try TextTestImages.white()
        try tofu.drawText("\u{E000}", x: 10, y: 40, style: style)
        #expect(tofu != viaFallback)
    }

    @Test("an explicit .ttc face draws Latin and CJK itself")
    func explicitCollection() throws {
        let font = try Font(.file(TextRenderingTests.microHei, faceIndex: 0), sizePoints: 14)
        #expect(font.fontSet.face(for: "狗") === font.face)
        #expect(font.fontSet.face(for: "c") === font.face)
        var image = try TextTestImages.white()
        let box = try image.drawText(
            "猫 cat 狗", x: 5, y: 5,
            style: TextStyle(font: .file(TextRenderingTests.microHei), sizePoints: 14, color: black))
        #expect(box != nil)
        #expect(TextTestImages.darkPixels(image) > 100)
    }

    @Test("a character no installed font has is drawn as a visible box (tofu)")
    func tofu() throws {
        // U+E000 (private use): check independently with fc-list that no installed font covers it.
        let listing = try TestSupport.run("/usr/bin/fc-list", arguments: [":charset=e000", "file"])
        #expect(listing.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        let set = try FontSet.resolve(.sansSerif)
        #expect(set.face(for: "\u{E000}") == nil)

        let layout = try TextLayout("a\u{E000}b", font: try Font(.sansSerif, sizePoints: 20))
        #expect(layout.missingGlyphCount == 1)
        var image = try TextTestImages.white()
        let style = TextStyle(sizePoints: 20, color: black)
        let box = try #require(try image.drawText("\u{E000}", x: 10, y: 10, style: style))
        let ink = TextTestImages.darkPixels(image)
        #expect(ink > 30)
        // Hollow: the middle of the box is untouched.
        let centerX = Int(box.x + box.width / 2)
        let baseline = Int(box.y + (layout.lines.first?.baseline ?? 0))
        #expect(image[centerX, baseline - 8, 0] == 255)
    }

    @Test("the glyph cache serves repeated glyphs and stays within its budget")
    func glyphCache() throws {
        let cache = GlyphCache(byteBudget: 1 << 20)
        let font = try Font(.sansSerif, sizePoints: 12)
        _ = try TextLayout("Hello", font: font, glyphCache: cache)
        let first = cache.statistics
        #expect(first.misses == 4)  // H, e, l, o
        #expect(first.hits == 1)  // the second l
        #expect(first.entries == 4)
        _ = try TextLayout("Hello", font: font, glyphCache: cache)
        let second = cache.statistics
        #expect(second.misses == 4)
        #expect(second.hits == 6)
        // Another size is another glyph.
        _ = try TextLayout("H", font: try Font(.sansSerif, sizePoints: 13), glyphCache: cache)
        #expect(cache.statistics.misses == 5)

        let small = GlyphCache(byteBudget: 64 << 10)
        let big = try Font(.sansSerif, sizePoints: 120)
        _ = try TextLayout(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", font: big, glyphCache: small)
        #expect(small.statistics.bytes <= small.byteBudget)
        #expect(small.statistics.entries < 52)
    }

    @Test("concurrent drawing from many tasks gives the same pixels as drawing serially")
    func concurrency() async throws {
        let renderer = TextRenderer(glyphCache: GlyphCache(byteBudget: 1 << 20))
        let texts = ["person 0.97", "猫 cat 狗", "AVAVA\nmulti", "tofu \u{E000}", "dog 0.5"]
        @Sendable func render(_ index: Int) throws -> Image {
            var image = try TextTestImages.white(width: 200, height: 80)
            let style = TextStyle(
                font: index % 2 == 0 ? .sansSerif : .serif, sizePoints: Double(10 + index % 7),
                color: Color(red: 200, green: 30, blue: 30),
                background: TextBackground(faceColor: Color(red: 30, green: 30, blue: 200), alpha: 0.5))
            try renderer.draw(texts[index % texts.count], x: 10, y: 10, style: style, into: &image)
            return image
        }
        let serial = try (0..<24).map(render)
        renderer.glyphCache.removeAll()
        let concurrent = try await withThrowingTaskGroup(of: (Int, Image).self) { group in
            for index in 0..<24 { group.addTask { (index, try render(index)) } }
            var results = [Image?](repeating: nil, count: 24)
            for try await (index, image) in group { results[index] = image }
            return results
        }
        for index in 0..<24 { #expect(concurrent[index] == serial[index], "image \(index)") }
    }

    @Test("text takes its colour and alpha; the empty string draws nothing")
    func colourAndEmpty() throws {
        var image = try TextTestImages.white()
        let red = Color(red: 255, green: 0, blue: 0)
        try image.drawText("I", x: 10, y: 10, style: TextStyle(sizePoints: 30, color: red))
        let columns = (0..<image.width).filter { x in
            (0..<image.height).contains { image[x, $0, 1] < 10 }
        }
        let x = try #require(columns.first)
        let y = try #require((0..<image.height).first { image[x, $0, 1] < 10 })
        #expect(Array(image[x, y]) == [255, 0, 0])

        var translucent = try TextTestImages.white()
        try translucent.drawText(
            "I", x: 10, y: 10, style: TextStyle(sizePoints: 30, color: red.withAlpha(128)))
        #expect(Array(translucent[x, y]) == [255, 127, 127])

        var untouched = try TextTestImages.white()
        let before = untouched
        #expect(
            try untouched.drawText("", x: 10, y: 10, style: TextStyle(background: TextBackground()))
                == nil)
        #expect(untouched == before)
    }

    @Test("a background box fills, strokes and pads like matplotlib's text bbox")
    func background() throws {
        let face = Color(red: 255, green: 0, blue: 0)
        var image = try TextTestImages.white()
        let background = TextBackground(faceColor: face, edgeColor: .none, alpha: 0.6, padPoints: 4)
        let style = TextStyle(sizePoints: 10, color: black, background: background)
        let box = try #require(try image.drawText("cat", x: 20, y: 20, style: style))
        // Pad: 4 pt / 10 pt = 0.40 of the size → 5.56 px each side, edges rounded to whole pixels.
        #expect(box.x == 14 && box.y == 14)
        #expect(box.maxX == 48 && box.maxY == 39)  // 20 + 22 + 5.56 = 47.56, 20 + 13.89 + 5.56 = 39.44
        // Inside the pad the face colour at alpha 0.6 over white: 255·0.4 = 102 in green and blue.
        #expect(Array(image[15, 15]) == [255, 102, 102])
        #expect(Array(image[13, 15]) == [255, 255, 255])
        #expect(Array(image[47, 38]) == [255, 102, 102])
        #expect(Array(image[48, 38]) == [255, 255, 255])
        #expect(Array(image[47, 39]) == [255, 255, 255])

        var framed = try TextTestImages.white()
        let edged = TextStyle(
            sizePoints: 10, color: black,
            background: TextBackground(
                faceColor: .none, edgeColor: black, padPoints: 4, lineWidthPoints: 1))
        try framed.drawText("cat", x: 20, y: 20, style: edged)
        // A 1 pt (1.39 px) line centred on x = 14 covers 0.69 of column 13 and 0.69 of column 14.
        #expect(framed[13, 25, 0] < 255 && framed[13, 25, 0] > 0)
        #expect(framed[14, 25, 0] < 100 && framed[14, 25, 0] == framed[13, 25, 0])
        #expect(framed[16, 25, 0] == 255)  // inside, no fill

        // MMDetection's label style: pad 0.7 pt is quantised to 0.05 of 13 pt.
        let label = TextBackground(faceColor: black, edgeColor: .none, alpha: 0.8, padPoints: 0.7)
        #expect(abs(label.padPixels(fontSizePoints: 13) - 0.05 * 13 * 100 / 72) < 1e-12)
    }

    @Test("non-finite positions and background values are typed errors; far-away text is clipped")
    func badInput() throws {
        var image = try TextTestImages.white()
        let before = image
        #expect(
            throws: VisDrawError.invalidArgument(
                argument: "position", expected: "finite x and y", actual: "(nan, 3.0)")
        ) {
            try image.drawText("a", x: .nan, y: 3, style: TextStyle())
        }
        #expect(throws: VisDrawError.self) {
            try image.drawText("a", x: 1, y: .infinity, style: TextStyle())
        }
        #expect(throws: VisDrawError.self) {
            try image.drawText(
                "a", x: 1, y: 1, style: TextStyle(background: TextBackground(padPoints: .nan)))
        }
        #expect(throws: VisDrawError.self) {
            try image.drawText("a", x: 1, y: 1, style: TextStyle(background: TextBackground(alpha: 2)))
        }
        #expect(throws: VisDrawError.self) {
            try image.drawText("a", x: 1, y: 1, style: TextStyle(sizePoints: 0))
        }
        try image.drawText("far", x: 1e300, y: -1e300, style: TextStyle(background: TextBackground()))
        try image.drawText("far", x: -500, y: 10, style: TextStyle(background: TextBackground()))
        #expect(image == before)
        // Partly outside: clipped, not an error.
        try image.drawText(
            "edge", x: -10, y: -5, style: TextStyle(sizePoints: 20, background: TextBackground()))
        #expect(image != before)
    }

    @Test("gray and RGBA images receive text too")
    func otherLayouts() throws {
        var gray = try TextTestImages.white(layout: .gray)
        try gray.drawText("Gray", x: 5, y: 5, style: TextStyle(sizePoints: 16, color: black))
        #expect(TextTestImages.darkPixels(gray) > 20)
        var rgba = try Image(width: 80, height: 40, layout: .rgba, fill: [0, 0, 0, 0])
        try rgba.drawText(
            "A", x: 5, y: 5, style: TextStyle(sizePoints: 16, color: Color(red: 0, green: 0, blue: 255)))
        #expect(rgba.pixels.enumerated().contains { $0.offset % 4 == 3 && $0.element == 255 })
    }

    @Test("Canvas.drawText and Image.drawText draw the same; a failed draw leaves the image intact")
    func canvasAndImage() throws {
        let style = TextStyle(
            sizePoints: 12, color: Color(red: 10, green: 20, blue: 200),
            background: TextBackground(faceColor: Color(red: 250, green: 200, blue: 0), alpha: 0.7))
        var image = try TextTestImages.white()
        var canvas = Canvas(image: try TextTestImages.white())
        let imageBox = try image.drawText("cat 猫", x: 12.3, y: 20.6, style: style)
        let canvasBox = try canvas.drawText("cat 猫", x: 12.3, y: 20.6, style: style)
        #expect(imageBox == canvasBox)
        #expect(image == canvas.image)

        let before = image
        #expect(throws: VisDrawError.self) { try image.drawText("x", x: .nan, y: 0, style: style) }
        #expect(throws: VisDrawError.self) {
            try image.drawText("x", x: 0, y: 0, style: TextStyle(font: .file("/nonexistent.ttf")))
        }
        #expect(image == before)
    }
}
