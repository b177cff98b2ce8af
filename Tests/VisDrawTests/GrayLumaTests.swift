import Testing
import VisCore
import VisDraw

/// Drawing on a gray canvas uses the same luma as converting a colour image to gray.
@Suite("Gray canvas luma")
struct GrayLumaTests {
    /// The colours a float evaluation of the BT.601 weights, rounded to nearest, turns into another gray than
    /// Pillow's fixed point (the rule of `Image.converted(to:)`): where a second rule would show.
    static let disputedColors: [Color] = {
        var colors: [Color] = []
        for index in 0..<(1 << 24) {
            let (red, green, blue) = (UInt8(index >> 16), UInt8((index >> 8) & 255), UInt8(index & 255))
            let float = (0.299 * Double(red) + 0.587 * Double(green) + 0.114 * Double(blue)).rounded()
            let fixed = (Int(red) * 19595 + Int(green) * 38470 + Int(blue) * 7471 + 0x8000) >> 16
            if Int(float) != fixed { colors.append(Color(red: red, green: green, blue: blue)) }
        }
        return colors
    }()

    static func converted(_ color: Color) throws -> UInt8 {
        try Image(width: 1, height: 1, layout: .rgb, pixels: [color.red, color.green, color.blue])
            .converted(to: .gray).pixels[0]
    }

    @Test("a gray canvas's background and a filled rectangle get the converted colour's gray")
    func backgroundAndFill() throws {
        #expect(Self.disputedColors.count == 9716)
        for color in Self.disputedColors + [.red, .green, .blue, .white, .orange] {
            let expected = try Self.converted(color)
            let background = try Canvas(width: 1, height: 1, layout: .gray, background: color)
            #expect(background.image.pixels[0] == expected, "\(color)")
            var filled = try Canvas(width: 1, height: 1, layout: .gray)
            try filled.fillRect(x: 0, y: 0, width: 1, height: 1, color: color)
            #expect(filled.image.pixels[0] == expected, "\(color)")
            #expect(color.samples(for: .gray) == [expected], "\(color)")
        }
    }
}
