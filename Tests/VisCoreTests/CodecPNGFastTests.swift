import Foundation
import Testing
import VisTestSupport

@testable import VisCore

/// The fast PNG encoder: its files must decode (with libpng, our decoder) to exactly the encoded pixels for
/// every layout, odd size and kind of content, including the edge cases of its own coding (zero runs around
/// the 258-byte match limit, histograms skewed enough to need length-limited codes, multi-band images).
@Suite("PNG fast encoder")
struct CodecPNGFastTests {
    /// Sizes that hit 1-pixel images and rows, widths that are not a multiple of any vector width, and
    /// images large enough to be encoded in several bands.
    static let sizes: [(width: Int, height: Int)] = [
        (1, 1), (1, 17), (17, 1), (1, 300), (300, 1), (2, 2), (3, 5), (33, 7), (61, 29), (127, 9), (515, 700),
    ]

    enum Content: String, CaseIterable {
        case random, pattern, flat, drawing, smooth
    }

    static func image(_ content: Content, width: Int, height: Int, layout: PixelLayout) throws -> Image {
        let channels = layout.channels
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        var state: UInt32 = 77
        for y in 0..<height {
            for x in 0..<width {
                for channel in 0..<channels {
                    state = state &* 1_664_525 &+ 1_013_904_223
                    let value: Int
                    switch content {
                    case .random: value = Int(state >> 24)
                    case .pattern: value = x * 7 + y * 13 + channel * 61 + Int(state >> 29)
                    case .flat: value = 0
                    case .drawing:
                        // A flat background, a filled box and a one-pixel line: long zero runs after filtering.
                        let inBox = x >= width / 4 && x < width / 2 && y >= height / 3 && y < height * 2 / 3
                        value = inBox ? 30 + channel * 80 : (y == height / 2 ? 0 : 240)
                    case .smooth:
                        value = x * 255 / max(width - 1, 1) + y * 3 + channel * 40 + Int(state >> 29)
                    }
                    pixels[(y * width + x) * channels + channel] = UInt8(truncatingIfNeeded: value)
                }
            }
        }
        return try Image(width: width, height: height, layout: layout, pixels: pixels)
    }

    @Test("round trip through libpng is exact for every layout, odd size and content", arguments: PixelLayout.allCases)
    func roundTrip(layout: PixelLayout) throws {
        for (width, height) in Self.sizes {
            for content in Content.allCases {
                let image = try Self.image(content, width: width, height: height, layout: layout)
                let data = try image.pngData(compression: .fast)
                #expect(ImageFormat(signatureOf: data) == .png)
                let decoded = try Image(data: data)
                #expect(decoded == image, "\(content) \(width)×\(height) \(layout)")
            }
        }
    }

    @Test("the default encoding is the fast encoder; levels still go through libpng")
    func defaults() throws {
        let image = try Self.image(.smooth, width: 40, height: 30, layout: .rgb)
        #expect(try image.pngData() == image.pngData(compression: .fast))
        #expect(try image.pngData(compressionLevel: 6) == image.pngData(compression: .level(6)))
        #expect(try image.pngData(compression: .level(6)) != image.pngData(compression: .fast))
        #expect(try Image(data: image.pngData(compression: .level(6))) == Image(data: image.pngData()))
    }

    @Test("zero runs of every length around the 258-byte match limit", arguments: [1, 2, 3, 4, 5, 257, 258, 259, 260, 261, 262, 516, 517, 518, 519, 520, 775, 1000])
    func zeroRuns(width: Int) throws {
        for layout in PixelLayout.allCases {
            for height in [1, 2, 3] {
                let flat = try Image(width: width, height: height, layout: layout)
                #expect(try Image(data: flat.pngData()) == flat, "\(width)×\(height) \(layout)")
                // A nonzero sample in the middle splits the run at an arbitrary offset.
                var split = flat
                split.pixels[split.pixels.count / 2] = 9
                #expect(try Image(data: split.pngData()) == split, "split \(width)×\(height) \(layout)")
            }
        }
    }

    @Test("a histogram skewed enough to need codes longer than 15 bits is length-limited correctly")
    func skewedHistogram() throws {
        // One gray row: the first row is Sub-filtered, so the filtered bytes are the differences chosen here.
        // Differences 1...26 occur with Fibonacci frequencies, whose optimal Huffman code is 25 bits deep.
        var differences: [UInt8] = []
        var (a, b) = (1, 1)
        for symbol in 1...26 {
            differences += [UInt8](repeating: UInt8(symbol), count: a)
            (a, b) = (b, a + b)
        }
        var state: UInt64 = 3
        for index in differences.indices.reversed() where index > 0 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            differences.swapAt(index, Int((state >> 33) % UInt64(index + 1)))
        }
        var pixels = [UInt8](repeating: 0, count: differences.count)
        var value: UInt8 = 0
        for (index, difference) in differences.enumerated() {
            value &+= difference
            pixels[index] = value
        }
        let image = try Image(width: pixels.count, height: 1, layout: .gray, pixels: pixels)
        #expect(try Image(data: image.pngData()) == image)
    }

    @Test("photographic content is about the size of zlib level 1 (at most 1.1×)")
    func sizeComparedWithLevelOne() throws {
        let image = try Self.image(.smooth, width: 400, height: 300, layout: .rgb)
        let fast = try image.pngData().count
        let levelOne = try image.pngData(compressionLevel: 1).count
        #expect(Double(fast) <= 1.1 * Double(levelOne), "fast \(fast) bytes, level 1 \(levelOne) bytes")
        let drawing = try Self.image(.drawing, width: 400, height: 300, layout: .rgb)
        let drawingFast = try drawing.pngData().count
        let drawingLevelOne = try drawing.pngData(compressionLevel: 1).count
        // Runs of zeros keep flat drawings small, if not as small as real matching makes them.
        #expect(drawingFast <= 4 * drawingLevelOne + 1024, "fast \(drawingFast) bytes, level 1 \(drawingLevelOne) bytes")
    }

    @Test("encodes running at the same time give a lone encode's bytes: the bands depend on the image only")
    func concurrentEncodesMatchALoneEncode() throws {
        // 515×700 RGB is over the two-band threshold; the concurrent calls run their second band on their own
        // thread instead of a new one, which must not change a byte.
        let image = try Self.image(.smooth, width: 515, height: 700, layout: .rgb)
        let alone = try image.pngData()
        let results = LockedValue([[UInt8]?](repeating: nil, count: 6))
        DispatchQueue.concurrentPerform(iterations: 6) { index in
            let data = try? image.pngData()
            results.withLock { $0[index] = data }
        }
        #expect(results.withLock { $0 }.allSatisfy { $0 == alone })
        #expect(try Image(data: alone) == image)
    }

    @Test("write(to:) and writePNG default to the fast encoder; an empty image is a typed error")
    func writeAndErrors() throws {
        let directory = try TestSupport.makeTemporaryDirectory("png-fast")
        defer { try? FileManager.default.removeItem(at: directory) }
        let image = try Self.image(.pattern, width: 64, height: 48, layout: .rgba)
        let path = directory.appendingPathComponent("out.png").path
        try image.write(to: path)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == image.pngData(compression: .fast))
        try image.writePNG(to: path, compressionLevel: 9)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == image.pngData(compressionLevel: 9))
        let empty = try Image(width: 5, height: 0, layout: .rgb)
        let error = #expect(throws: VisCoreError.self) { try empty.pngData(compression: .fast) }
        guard case .invalidArgument(let argument, _, _) = error else {
            Issue.record("expected invalidArgument, got \(String(describing: error))")
            return
        }
        #expect(argument == "image")
    }

    @Test("the fast decoding path gives libpng's pixels for every filter type, layout and IDAT split", arguments: PixelLayout.allCases)
    func fastDecodingMatchesLibpng(layout: PixelLayout) throws {
        for (width, height) in Self.sizes {
            for content in Content.allCases {
                let image = try Self.image(content, width: width, height: height, layout: layout)
                // libpng's adaptive filtering uses all five filter types; level 0 stores in many IDAT chunks.
                var files = [try image.pngData(compression: .fast)]
                for level in [0, 1, 6, 9] { files.append(try image.pngData(compressionLevel: level)) }
                for (index, data) in files.enumerated() {
                    let fast = try #require(
                        _PNGCodec.decodeFast(data, source: "test"), "declined: \(content) \(width)×\(height) #\(index)")
                    let reference = try _PNGCodec.decodeWithLibpng(data, source: "test")
                    #expect(fast == reference, "\(content) \(width)×\(height) \(layout) file #\(index)")
                    #expect(fast == image)
                }
            }
        }
    }

    @Test("damaged files are declined by the fast path and keep libpng's verdict")
    func damagedFilesFallBack() throws {
        let image = try Self.image(.pattern, width: 40, height: 30, layout: .rgb)
        let data = try image.pngData()
        // A flipped byte inside IDAT (its CRC no longer matches), a file cut short, and one without IEND.
        var flipped = data
        flipped[60] ^= 0x55
        let damaged = [flipped, Array(data.prefix(data.count / 2)), Array(data.dropLast(12))]
        for bytes in damaged {
            #expect(_PNGCodec.decodeFast(bytes, source: "test") == nil)
            let viaDefault = Result { try Image(data: bytes) }
            let viaLibpng = Result { try _PNGCodec.decodeWithLibpng(bytes, source: "<bytes>") }
            switch (viaDefault, viaLibpng) {
            case (.success(let a), .success(let b)): #expect(a == b)
            case (.failure(let a), .failure(let b)): #expect(String(describing: a) == String(describing: b))
            default: Issue.record("the default decoder and libpng disagree on a damaged file")
            }
        }
    }
}
