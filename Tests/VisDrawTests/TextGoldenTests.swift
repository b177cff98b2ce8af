import Foundation
import Testing
import VisCore
import VisTestSupport

@testable import VisDraw

/// Whole pictures of text compared with committed golden PNGs (exact: same FreeType, same pixels). Every string is
/// drawn with a bundled font file (``TestFonts``), so the pictures do not depend on the fonts installed; fallback
/// through fontconfig is checked by the "Text rendering" suite instead. Regenerate with `VIS_REGENERATE_GOLDEN=1`
/// and look at them.
@Suite("Text goldens")
struct TextGoldenTests {
    static let goldenDirectory = TestSupport.packageRoot.appendingPathComponent(
        "Tests/VisDrawTests/Golden")
    static let black = Color(red: 0, green: 0, blue: 0)
    /// DejaVu Sans, the default sans-serif font, from its bundled file.
    static let sans = FontSpec.file(TestFonts.dejaVuSans)

    func expectMatchesGolden(_ image: Image, _ name: String) throws {
        let result = try TestSupport.compareWithGolden(
            image, name: name, directory: TextGoldenTests.goldenDirectory)
        #expect(
            result.differingSamples == 0,
            "\(name): \(result.differingSamples) samples differ, max \(result.maxDifference); rendered: \(result.actualPath ?? "-")")
    }

    /// A small red cross marking an anchor point.
    func markAnchor(_ canvas: inout Canvas, x: Double, y: Double) throws {
        let red = Color(red: 230, green: 0, blue: 0)
        try canvas.fillRect(x: x - 5, y: y - 0.5, width: 10, height: 1, color: red)
        try canvas.fillRect(x: x - 0.5, y: y - 5, width: 1, height: 10, color: red)
    }

    @Test("every horizontal × vertical alignment around its anchor (red cross), box shaded")
    func alignmentGrid() throws {
        var canvas = Canvas(image: try TextTestImages.white(width: 720, height: 330))
        let box = TextBackground(
            faceColor: Color(red: 190, green: 215, blue: 245), edgeColor: .none, padPoints: 0)
        for (row, vertical) in VerticalTextAlignment.allCases.enumerated() {
            let y = 45.0 + Double(row) * 60
            try canvas.drawText(
                vertical.rawValue, x: 10, y: y,
                style: TextStyle(
                    font: TextGoldenTests.sans, sizePoints: 10, color: TextGoldenTests.black,
                    verticalAlignment: .center))
            for (column, horizontal) in HorizontalTextAlignment.allCases.enumerated() {
                let x = 250.0 + Double(column) * 200
                let style = TextStyle(
                    font: TextGoldenTests.sans, sizePoints: 12, color: TextGoldenTests.black,
                    horizontalAlignment: horizontal,
                    verticalAlignment: vertical, background: box)
                try canvas.drawText("Ag \(horizontal.rawValue)", x: x, y: y, style: style)
                try markAnchor(&canvas, x: x, y: y)
            }
        }
        try expectMatchesGolden(canvas.image, "text-alignment-grid.png")
    }

    @Test("background boxes: face, edge, alpha, padding, no edge, MMDetection label style")
    func backgrounds() throws {
        var canvas = Canvas(image: try TextTestImages.white(width: 560, height: 200))
        // A striped backdrop shows what alpha lets through.
        for stripe in stride(from: 0, to: 560, by: 40) {
            try canvas.fillRect(
                x: Double(stripe), y: 0, width: 20, height: 200, color: Color(red: 120, green: 200, blue: 120))
        }
        let cases: [(String, TextBackground, Color)] = [
            ("default box", TextBackground(), TextGoldenTests.black),
            (
                "face + edge",
                TextBackground(
                    faceColor: Color(red: 255, green: 220, blue: 0),
                    edgeColor: Color(red: 200, green: 0, blue: 0)), TextGoldenTests.black
            ),
            (
                "alpha 0.3", TextBackground(faceColor: Color(red: 255, green: 0, blue: 0), alpha: 0.3),
                TextGoldenTests.black
            ),
            (
                "pad 0", TextBackground(faceColor: Color(red: 200, green: 200, blue: 255), padPoints: 0),
                TextGoldenTests.black
            ),
            (
                "pad 10", TextBackground(faceColor: Color(red: 200, green: 200, blue: 255), padPoints: 10),
                TextGoldenTests.black
            ),
            (
                "thick edge",
                TextBackground(
                    faceColor: .none, edgeColor: Color(red: 0, green: 0, blue: 200), lineWidthPoints: 3),
                TextGoldenTests.black
            ),
            (
                "person 0.97",
                TextBackground(
                    faceColor: TextGoldenTests.black, edgeColor: .none, alpha: 0.8, padPoints: 0.7),
                Color(red: 255, green: 255, blue: 255)
            ),
            (
                "r alpha 0.6", TextBackground(faceColor: Color(red: 255, green: 0, blue: 0), alpha: 0.6),
                TextGoldenTests.black
            ),
        ]
        for (index, (text, background, color)) in cases.enumerated() {
            let x = 20.0 + Double(index % 4) * 135
            let y = 40.0 + Double(index / 4) * 90
            try canvas.drawText(
                text, x: x, y: y,
                style: TextStyle(font: TextGoldenTests.sans, sizePoints: 13, color: color, background: background))
        }
        try expectMatchesGolden(canvas.image, "text-backgrounds.png")
    }

    @Test("multi-line text aligned left, centre and right, with line spacing from the font")
    func multiLine() throws {
        var canvas = Canvas(image: try TextTestImages.white(width: 660, height: 150))
        let text = "first line\nsecond, longer line\nÀ gÿ"
        for (index, horizontal) in HorizontalTextAlignment.allCases.enumerated() {
            let x = 20.0 + Double(index) * 310
            let style = TextStyle(
                font: TextGoldenTests.sans, sizePoints: 12, color: Color(red: 20, green: 20, blue: 120),
                horizontalAlignment: horizontal,
                verticalAlignment: .center,
                background: TextBackground(
                    faceColor: Color(red: 235, green: 235, blue: 235),
                    edgeColor: Color(red: 120, green: 120, blue: 120), padPoints: 2))
            try canvas.drawText(text, x: x, y: 75, style: style)
            try markAnchor(&canvas, x: x, y: 75)
        }
        try expectMatchesGolden(canvas.image, "text-multiline.png")
    }

    @Test("CJK from both faces of a .ttc collection, and a label in the MMDetection style")
    func cjk() throws {
        var canvas = Canvas(image: try TextTestImages.white(width: 360, height: 150))
        let green = Color(red: 0, green: 127, blue: 0)
        try canvas.drawText(
            "猫 cat 狗 (face 0)", x: 10, y: 10,
            style: TextStyle(font: .file(TestFonts.wqyMicroHeiSubset, faceIndex: 0), sizePoints: 16, color: green))
        try canvas.drawText(
            "猫 cat 狗 (face 1, Mono)", x: 10, y: 50,
            style: TextStyle(font: .file(TestFonts.wqyMicroHeiSubset, faceIndex: 1), sizePoints: 16, color: green))
        try canvas.drawText(
            "标签 0.97", x: 10, y: 95,
            style: TextStyle(
                font: .file(TestFonts.wqyMicroHeiSubset), sizePoints: 13,
                color: Color(red: 255, green: 255, blue: 255),
                background: TextBackground(
                    faceColor: Color(red: 220, green: 20, blue: 60), edgeColor: .none, alpha: 0.8,
                    padPoints: 0.7)))
        try expectMatchesGolden(canvas.image, "text-cjk.png")
    }
}
