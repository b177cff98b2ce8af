import Foundation
import Testing
import VisTestSupport
import VisCore
@testable import VisDraw

@Suite("Compositing")
struct CompositeTests {
    @Test("Source-over with opacity on RGB, RGBA and gray")
    func sourceOver() throws {
        var rgb = try Canvas(width: 4, height: 4, layout: .rgb, background: Color(red: 200, green: 100, blue: 0))
        try rgb.fillRect(x: 0, y: 0, width: 4, height: 4, color: Color(red: 0, green: 0, blue: 255), opacity: 0.5)
        #expect(Array(rgb.image[1, 1]) == [100, 50, 128])
        var rgba = try Canvas(width: 4, height: 4, layout: .rgba, background: Color(red: 0, green: 0, blue: 0, alpha: 0))
        try rgba.fillRect(x: 0, y: 0, width: 2, height: 4, color: Color(red: 255, green: 0, blue: 0, alpha: 128))
        #expect(Array(rgba.image[0, 0]) == [128, 0, 0, 128])
        try rgba.fillRect(x: 0, y: 0, width: 4, height: 4, color: Color(red: 0, green: 255, blue: 0), opacity: 0.25)
        // α = 0.5 + 0.5·(1 − 0.25)... straight alpha: αout = αs + αd(1 − αs) = 0.25 + 0.5·0.75 = 0.625.
        #expect(abs(Int(rgba.image[0, 0, 3]) - 160) <= 1)
        #expect(abs(Int(rgba.image[3, 0, 3]) - 64) <= 1)
        var gray = try Canvas(width: 4, height: 4, layout: .gray)
        try gray.fillRect(x: 0, y: 0, width: 4, height: 4, color: Color(red: 255, green: 255, blue: 255))
        #expect(gray.image[2, 2, 0] == 255)
    }

    @Test("Alpha stacking: n layers of opacity a leave (1 − a)^n of the background")
    func alphaStacking() throws {
        var canvas = try Canvas(width: 4, height: 4, layout: .rgb, background: Color(red: 255, green: 255, blue: 255))
        for layer in 1...5 {
            try canvas.fillCircle(center: Point(2, 2), radius: 10, color: Color(red: 0, green: 0, blue: 0), opacity: 0.3)
            let expected = 255 * pow(0.7, Double(layer))
            #expect(abs(Double(canvas.image[2, 2, 0]) - expected) <= Double(layer))
        }
    }

    @Test("A stroke composites once: overlapping joins of one path do not darken")
    func singleCompositePerDraw() throws {
        var canvas = try Canvas(width: 40, height: 40, layout: .rgb, background: Color(red: 255, green: 255, blue: 255))
        let zigzag = Path.polygon([Point(5, 5), Point(35, 20), Point(5, 35), Point(30, 30)], closed: false)
        try canvas.stroke(zigzag, style: StrokeStyle(lineWidth: 8), color: Color(red: 0, green: 0, blue: 0), opacity: 0.5)
        let darkest = stride(from: 0, to: canvas.image.pixels.count, by: 3).map { canvas.image.pixels[$0] }.min() ?? 0
        #expect(darkest == 127 || darkest == 128)
    }

    @Test("Canvas.composite and masks from coverageMask(filling:) equal fill")
    func maskRoundTrip() throws {
        var random = SeededGenerator(seed: 5)
        let background = try Image(width: 50, height: 40, layout: .rgba, pixels: (0..<(50 * 40 * 4)).map { _ in UInt8.random(in: 0...255, using: &random) })
        let path = try Path.ellipse(center: Point(24.3, 18.9), radiusX: 17.2, radiusY: 9.1)
        var direct = Canvas(image: background)
        try direct.fill(path, color: Color(red: 30, green: 60, blue: 90, alpha: 200), opacity: 0.7)
        var viaMask = Canvas(image: background)
        viaMask.composite(try viaMask.coverageMask(filling: path), color: Color(red: 30, green: 60, blue: 90, alpha: 200), opacity: 0.7)
        #expect(direct.image == viaMask.image)
    }

    @Test("Copies of a canvas draw independently")
    func valueSemantics() throws {
        var a = try Canvas(width: 10, height: 10)
        try a.fillRect(x: 0, y: 0, width: 5, height: 5, color: Color(red: 255, green: 0, blue: 0))
        var b = a
        try b.fillCircle(center: Point(7, 7), radius: 2, color: Color(red: 0, green: 255, blue: 0))
        try a.fillCircle(center: Point(2, 7), radius: 2, color: Color(red: 0, green: 0, blue: 255))
        #expect(a.image[7, 7, 1] == 0 && b.image[7, 7, 1] == 255)
        #expect(a.image[2, 7, 2] == 255 && b.image[2, 7, 2] == 0)
    }
}
