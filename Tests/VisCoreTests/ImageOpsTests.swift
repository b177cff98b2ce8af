import Foundation
import Testing
import VisCore
import VisTestSupport

@Suite("Image conversions")
struct ImageConversionTests {
    @Test("gray expands to RGB and RGBA by replication, with opaque alpha")
    func grayExpands() throws {
        let gray = try Image(width: 2, height: 1, layout: .gray, pixels: [10, 200])
        #expect(gray.converted(to: .rgb).pixels == [10, 10, 10, 200, 200, 200])
        #expect(gray.converted(to: .rgba).pixels == [10, 10, 10, 255, 200, 200, 200, 255])
        #expect(gray.converted(to: .gray) == gray)
    }

    @Test("RGB ↔ RGBA adds opaque alpha or drops alpha without touching colour")
    func alphaAddedAndDropped() throws {
        let rgba = try Image(width: 2, height: 1, layout: .rgba, pixels: [1, 2, 3, 0, 4, 5, 6, 128])
        #expect(rgba.converted(to: .rgb).pixels == [1, 2, 3, 4, 5, 6])
        #expect(rgba.converted(to: .rgb).converted(to: .rgba).pixels == [1, 2, 3, 255, 4, 5, 6, 255])
    }

    @Test("RGB to gray uses BT.601 weights, rounded like Pillow's convert('L')")
    func luma() throws {
        let rgb = try Image(width: 5, height: 1, layout: .rgb, pixels: [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 10, 20, 30])
        // 0.299·255 = 76.2, 0.587·255 = 149.7, 0.114·255 = 29.1, and 0.299·10 + 0.587·20 + 0.114·30 = 18.15.
        #expect(rgb.converted(to: .gray).pixels == [76, 150, 29, 255, 18])
        let rgba = try Image(width: 1, height: 1, layout: .rgba, pixels: [10, 20, 30, 0])
        #expect(rgba.converted(to: .gray).pixels == [18])
    }

    @Test("gray conversion matches Pillow on every sample of a random image")
    func lumaMatchesPillow() throws {
        let image = CodecTestImages.pattern(width: 64, height: 64, layout: .rgb, seed: 77)
        let directory = try TestSupport.makeTemporaryDirectory("luma")
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.png").path
        let output = directory.appendingPathComponent("out.raw").path
        try image.writePNG(to: input)
        try TestSupport.runPython(
            "import sys, numpy as np\nfrom PIL import Image\nnp.asarray(Image.open(sys.argv[1]).convert('L')).tofile(sys.argv[2])",
            arguments: [input, output])
        let pillow = try [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))
        #expect(image.converted(to: .gray).pixels == pillow)
    }

    @Test("flattening composites RGBA over an opaque background; opaque images pass through")
    func flatten() throws {
        let rgba = try Image(width: 3, height: 1, layout: .rgba, pixels: [200, 100, 0, 255, 200, 100, 0, 0, 200, 100, 0, 128])
        let flat = rgba.flattened(over: Color(red: 0, green: 0, blue: 255, alpha: 10))
        #expect(flat.layout == .rgb)
        // (200·128 + 0·127 + 127) / 255 = 100, (100·128 + 127)/255 = 50, (0 + 255·127 + 127)/255 = 127.
        #expect(flat.pixels == [200, 100, 0, 0, 0, 255, 100, 50, 127])
        let rgb = CodecTestImages.pattern(width: 4, height: 4, layout: .rgb)
        #expect(rgb.flattened(over: Color(red: 1, green: 2, blue: 3)) == rgb)
    }

    @Test("a colour's samples follow the layout")
    func colourSamples() {
        let colour = Color(red: 10, green: 20, blue: 30, alpha: 40)
        #expect(colour.samples(for: .gray) == [18])
        #expect(colour.samples(for: .rgb) == [10, 20, 30])
        #expect(colour.samples(for: .rgba) == [10, 20, 30, 40])
    }
}

@Suite("Image geometry")
struct ImageGeometryTests {
    /// A gray image whose sample at (x, y) is `10·y + x`.
    static func grid(width: Int, height: Int) throws -> Image {
        try Image(width: width, height: height, layout: .gray,
                  pixels: (0..<(width * height)).map { UInt8(($0 / width) * 10 + $0 % width) })
    }

    @Test("cropping returns exactly the requested region")
    func crop() throws {
        let image = try Self.grid(width: 6, height: 5)
        let region = try image.cropped(x: 2, y: 1, width: 3, height: 2)
        #expect(region.width == 3 && region.height == 2)
        #expect(region.pixels == [12, 13, 14, 22, 23, 24])
        #expect(try image.cropped(x: 0, y: 0, width: 6, height: 5) == image)
        #expect(try image.cropped(x: 6, y: 5, width: 0, height: 0).isEmpty)
        let rgb = CodecTestImages.pattern(width: 9, height: 7, layout: .rgb)
        let corner = try rgb.cropped(x: 8, y: 6, width: 1, height: 1)
        #expect(corner.pixels == Array(rgb[8, 6]))
    }

    @Test("a region outside the image names the offending argument",
          arguments: [(-1, 0, 1, 1, "x"), (7, 0, 0, 0, "x"), (0, -2, 1, 1, "y"), (0, 6, 0, 0, "y"),
                      (4, 0, 3, 1, "width"), (0, 0, -1, 1, "width"), (0, 3, 1, 3, "height"), (0, 0, 1, -1, "height")])
    func cropOutOfRange(x: Int, y: Int, width: Int, height: Int, argument: String) throws {
        let image = try Self.grid(width: 6, height: 5)
        let error = #expect(throws: VisCoreError.self) { try image.cropped(x: x, y: y, width: width, height: height) }
        guard case .invalidArgument(let name, _, _) = error else {
            Issue.record("expected invalidArgument, got \(String(describing: error))")
            return
        }
        #expect(name == argument)
    }

    @Test("pasting copies inside the bounds and clips at every edge")
    func paste() throws {
        let patch = try Image(width: 2, height: 2, layout: .gray, fill: [99])
        for (x, y, expectedCount) in [(1, 1, 4), (-1, -1, 1), (3, 2, 1), (4, 3, 0), (-2, 0, 0), (Int.min, Int.max, 0)] {
            var canvas = try Image(width: 4, height: 3, layout: .gray)
            canvas.paste(patch, atX: x, y: y)
            #expect(canvas.pixels.filter { $0 == 99 }.count == expectedCount, "at (\(x), \(y))")
        }
        var canvas = try Self.grid(width: 4, height: 3)
        canvas.paste(patch, atX: 2, y: 1)
        #expect(canvas.pixels == [0, 1, 2, 3, 10, 11, 99, 99, 20, 21, 99, 99])
    }

    @Test("pasting converts the source to the destination's layout and replaces alpha, not blends")
    func pasteConverts() throws {
        var canvas = try Image(width: 2, height: 1, layout: .rgba, fill: [0, 0, 0, 255])
        canvas.paste(try Image(width: 1, height: 1, layout: .gray, pixels: [50]), atX: 1, y: 0)
        #expect(canvas.pixels == [0, 0, 0, 255, 50, 50, 50, 255])
        canvas.paste(try Image(width: 1, height: 1, layout: .rgba, pixels: [9, 8, 7, 0]), atX: 0, y: 0)
        #expect(canvas.pixels == [9, 8, 7, 0, 50, 50, 50, 255])
    }

    @Test("hconcat places images left to right, pads shorter ones with the fill and spaces them")
    func horizontal() throws {
        let a = try Image(width: 2, height: 2, layout: .gray, fill: [1])
        let b = try Image(width: 1, height: 3, layout: .gray, fill: [2])
        let joined = try Image.hconcat([a, b], spacing: 1, fill: Color(red: 255, green: 255, blue: 255))
        #expect(joined.width == 4 && joined.height == 3 && joined.layout == .gray)
        #expect(joined.pixels == [1, 1, 255, 2,
                                  1, 1, 255, 2,
                                  255, 255, 255, 2])
    }

    @Test("vconcat stacks images top to bottom and unifies layouts to the richest one")
    func vertical() throws {
        let gray = try Image(width: 1, height: 1, layout: .gray, pixels: [7])
        let rgba = try Image(width: 2, height: 1, layout: .rgba, pixels: [1, 2, 3, 4, 5, 6, 7, 8])
        let joined = try Image.vconcat([gray, rgba], fill: Color(red: 9, green: 9, blue: 9, alpha: 0))
        #expect(joined.layout == .rgba && joined.width == 2 && joined.height == 2)
        #expect(joined.pixels == [7, 7, 7, 255, 9, 9, 9, 0,
                                  1, 2, 3, 4, 5, 6, 7, 8])
        let single = CodecTestImages.pattern(width: 3, height: 2, layout: .rgb)
        #expect(try Image.vconcat([single]) == single)
    }

    @Test("concatenation rejects an empty list and negative spacing")
    func concatenationErrors() throws {
        #expect(throws: VisCoreError.invalidArgument(argument: "images", expected: "at least one image", actual: "an empty list")) {
            try Image.hconcat([])
        }
        let image = try Image(width: 1, height: 1, layout: .rgb)
        #expect(throws: VisCoreError.invalidArgument(argument: "spacing", expected: "a non-negative number of pixels", actual: "-1")) {
            try Image.vconcat([image, image], spacing: -1)
        }
        #expect(throws: VisCoreError.self) { try Image.hconcat([image, image], spacing: Int.max) }
    }

    @Test("flipped mirrors left–right or top–bottom in every layout, twice gives the image back")
    func flipped() throws {
        for layout in [PixelLayout.gray, .rgb, .rgba] {
            let c = layout.channels
            let image = try Image(width: 3, height: 2, layout: layout, pixels: (0..<(6 * c)).map { UInt8($0) })
            let mirrored = image.flipped(horizontally: true)
            let upsideDown = image.flipped(horizontally: false)
            for y in 0..<2 {
                for x in 0..<3 {
                    for ch in 0..<c {
                        #expect(mirrored.pixels[(y * 3 + x) * c + ch] == image.pixels[(y * 3 + 2 - x) * c + ch])
                        #expect(upsideDown.pixels[(y * 3 + x) * c + ch] == image.pixels[((1 - y) * 3 + x) * c + ch])
                    }
                }
            }
            #expect(mirrored.flipped(horizontally: true) == image && upsideDown.flipped(horizontally: false) == image)
            #expect(mirrored.layout == layout && mirrored.width == 3 && mirrored.height == 2)
        }
    }
}
